package org.dsrflow;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** dsrflow's own settings ({@code dsrflow.*} in config/application.yml). */
@ConfigurationProperties("dsrflow")
public record DsrflowSettings(String publicUrl, java.time.ZoneId displayZone, String secret,
                              Verification verification, Mail mail,
                              Export export) {

    /** How long a verification code lives and how many wrong tries it takes. */
    public record Verification(Duration codeTtl, int maxAttempts) {
    }

    /** Sender of every mail dsrflow writes. */
    public record Mail(String from, String fromName) {
    }

    /** Where export packages are written and how long their download links live. */
    public record Export(String dir, Duration linkTtl) {
    }
}
