package org.dsrflow.intake.mail;

/** SHA-256 of inbound bytes, hex: the key of a mail without a Message-ID and the fingerprint of quarantined content. */
public final class Fingerprint {
    private Fingerprint() {
    }

    public static String sha256(byte[] bytes) {
        return MailReader.sha256(bytes);
    }
}
