package org.dsrflow;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** dsrflow's own settings ({@code dsrflow.*} in config/application.yml). */
@ConfigurationProperties("dsrflow")
public record DsrflowSettings(String publicUrl, java.time.ZoneId displayZone, String secret,
                              Verification verification, Mail mail,
                              Export export) {

    /**
     * How long a verification code lives and how many wrong tries lock it; how often and how soon a
     * new code may be asked for; when the reminder goes out; when an unverified case is closed.
     */
    public record Verification(Duration codeTtl, int maxAttempts, int maxResends, Duration resendInterval, Duration reminderAfter,
                               Duration expireAfter, java.util.List<String> deletionDataPoints) {
        public Verification {
            deletionDataPoints = deletionDataPoints == null ? java.util.List.of() : java.util.List.copyOf(deletionDataPoints);
        }
    }

    /** Sender of every mail dsrflow writes. */
    public record Mail(String from, String fromName) {
    }

    /** Where export packages are written and how long their download links live. */
    public record Export(String dir, Duration linkTtl) {
    }
}
