package org.dsrflow.retention;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long dsrflow keeps its own copies of personal data ({@code dsrflow.retention.*}):
 * a closed case's addresses, mails and verification data; quarantined messages; the keys of
 * inbound messages kept to recognise a redelivery.
 */
@ConfigurationProperties("dsrflow.retention")
public record RetentionSettings(Duration closedCases, Duration quarantine, Duration inboundKeys) {
    public RetentionSettings {
        closedCases = closedCases == null ? Duration.ofDays(90) : closedCases;
        quarantine = quarantine == null ? Duration.ofDays(30) : quarantine;
        inboundKeys = inboundKeys == null ? Duration.ofDays(90) : inboundKeys;
    }
}
