package org.dsrflow.intake;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** Settings of the mail and ticket channels ({@code dsrflow.intake.*} in config/application.yml). */
@ConfigurationProperties("dsrflow.intake")
public record IntakeSettings(MailChannel mail, Tickets tickets) {

    /**
     * The privacy mailbox.
     *
     * @param agents addresses or whole domains (a bare {@code example.com}) of support agents whose
     *               forwarded mails are taken as requests of the original sender
     */
    public record MailChannel(boolean enabled, DataSize maxSize, int maxTextChars, List<String> agents,
                              String processedFolder, String quarantineFolder) {
    }

    /** Ticket events from support tools, over Kafka and HTTP. */
    public record Tickets(String topic, String updatesTopic, DataSize maxSize, Map<String, Source> sources) {
    }

    /**
     * A ticket system allowed to file requests.
     *
     * @param secret           shared secret for the HMAC-SHA256 signature of each ticket it sends
     * @param callbackUrl      where ticket updates are POSTed (signed the same way), if anywhere
     * @param trustAttestation whether an agent's identity attestation verifies the requester without a mailed code
     */
    public record Source(String secret, String callbackUrl, boolean trustAttestation, Duration callbackTimeout) {
    }

    /** A size as people write it: "2 MB", "64 KB", "1500 bytes". */
    public static String readable(DataSize size) {
        long bytes = size.toBytes();
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return size.toMegabytes() + " MB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return size.toKilobytes() + " KB";
        }
        return bytes + " bytes";
    }
}
