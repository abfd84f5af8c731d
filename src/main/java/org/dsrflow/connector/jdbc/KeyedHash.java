package org.dsrflow.connector.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HMAC-SHA256 keys prepared for the database. HMAC(k, m) = H((k^opad) || H((k^ipad) || m)), so with
 * the two padded keys bound as parameters the database's built-in SHA-256 computes a real keyed
 * hash over a whole table in one statement (see {@link SqlDialect}) — no extension, no row-by-row round trips, and the
 * secret never appears in SQL text.
 */
record KeyedHash(byte[] innerKey, byte[] outerKey) {
    private static final int BLOCK = 64;

    static KeyedHash fromSecret(String secret) {
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        if (key.length > BLOCK) {
            key = sha256(key);
        }
        key = Arrays.copyOf(key, BLOCK);
        byte[] inner = new byte[BLOCK];
        byte[] outer = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            inner[i] = (byte) (key[i] ^ 0x36);
            outer[i] = (byte) (key[i] ^ 0x5c);
        }
        return new KeyedHash(inner, outer);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
