package org.dsrflow.tickets;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 over the exact bytes of a ticket or update, sent as
 * {@code X-Dsrflow-Signature: sha256=<hex>}; the same scheme both ways.
 */
public final class TicketSignature {
    public static final String HEADER = "X-Dsrflow-Signature";
    private static final String PREFIX = "sha256=";

    private TicketSignature() {
    }

    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Compares in constant time; a missing or malformed signature never matches. */
    public static boolean matches(String secret, byte[] body, String signature) {
        if (secret == null || secret.isEmpty() || signature == null || signature.length() != PREFIX.length() + 64) {
            return false;
        }
        return MessageDigest.isEqual(sign(secret, body).getBytes(StandardCharsets.US_ASCII),
                signature.trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }
}
