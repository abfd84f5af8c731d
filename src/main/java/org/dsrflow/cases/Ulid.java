package org.dsrflow.cases;

import java.security.SecureRandom;
import java.time.Instant;

/** ULIDs: 48 bits of milliseconds then 80 random bits, in Crockford base32 — sortable by time, unguessable. */
public final class Ulid {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ulid() {
    }

    public static String next() {
        return of(Instant.now().toEpochMilli(), RANDOM);
    }

    static String of(long millis, SecureRandom random) {
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        byte[] bits = new byte[10];
        random.nextBytes(bits);
        // 80 random bits = 16 base32 digits
        long high = 0;
        for (int i = 0; i < 5; i++) {
            high = (high << 8) | (bits[i] & 0xff);
        }
        long low = 0;
        for (int i = 5; i < 10; i++) {
            low = (low << 8) | (bits[i] & 0xff);
        }
        for (int i = 17; i >= 10; i--) {
            out[i] = ALPHABET[(int) (high & 31)];
            high >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = ALPHABET[(int) (low & 31)];
            low >>>= 5;
        }
        return new String(out);
    }

    public static boolean isValid(String value) {
        if (value == null || value.length() != 26) {
            return false;
        }
        for (char c : value.toCharArray()) {
            if (new String(ALPHABET).indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}
