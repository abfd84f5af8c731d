package org.dsrflow.verification;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.dsrflow.DsrflowSettings;
import org.springframework.stereotype.Component;

/** Codes, link tokens and their keyed hashes. Only hashes are stored, so a database dump reveals no live code. */
@Component
public class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    Secrets(DsrflowSettings settings) {
        this.key = new SecretKeySpec(settings.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public String sixDigitCode() {
        return String.format("%06d", RANDOM.nextInt(1_000_000));
    }

    /** Eight digits: the passcode that opens a download, sent apart from its link. */
    public String passcode() {
        return String.format("%08d", RANDOM.nextInt(100_000_000));
    }

    /** Random bytes, e.g. a data key. */
    public static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** A 256-bit key for one purpose, derived from the secret (never stored). */
    public byte[] derivedKey(String purpose) {
        return HexFormat.of().parseHex(hash("key", purpose));
    }

    public String urlToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public String hash(String purpose, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal((purpose + ":" + value).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean sameHash(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
