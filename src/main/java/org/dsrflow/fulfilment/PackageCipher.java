package org.dsrflow.fulfilment;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.CipherInputStream;
import javax.crypto.CipherOutputStream;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.dsrflow.verification.Secrets;
import org.springframework.stereotype.Component;

/**
 * Export packages are encrypted at rest. Each package has its own random data key: the file is
 * AES-256-CTR with an HMAC-SHA256 over IV and ciphertext (checked before a byte is served), both
 * keys from the data key; the data key is stored only wrapped (AES-256-GCM) under a key derived
 * from {@code DSRFLOW_SECRET}. The file alone, or the database alone, reveals nothing. Streams both
 * ways: a package is never whole in memory.
 */
@Component
class PackageCipher {
    /** What the case store keeps to open a package: the wrapped data key, the IV, the MAC. */
    record Sealed(String wrappedKey, String iv, String mac) {
    }

    private final byte[] keyEncryptionKey;

    @org.springframework.beans.factory.annotation.Autowired
    PackageCipher(Secrets secrets) {
        this(secrets.derivedKey("export-packages-v1"));
    }

    /** With a key of the caller's: the benchmark command seals parts it throws away. */
    PackageCipher(byte[] keyEncryptionKey) {
        this.keyEncryptionKey = keyEncryptionKey.clone();
    }

    /** An output stream that encrypts into {@code file}; {@link Sealing#seal()} after closing it gives what opens it. */
    Sealing create(Path file) throws IOException {
        return new Sealing(file, "");
    }

    /**
     * {@code context} (a case and system, say) is bound into the MAC: the file only opens for the
     * same context, so a file swapped in from another case is refused.
     */
    Sealing create(Path file, String context) throws IOException {
        return new Sealing(file, context);
    }

    final class Sealing {
        private final byte[] dataKey = Secrets.randomBytes(32);
        private final byte[] iv = Secrets.randomBytes(16);
        private final Mac mac;
        private final OutputStream stream;

        private Sealing(Path file, String context) throws IOException {
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(subKey(dataKey, "mac"), "HmacSHA256"));
                mac.update(iv);
                mac.update(context.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
                ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(subKey(dataKey, "enc"), "AES"), new IvParameterSpec(iv));
                // large writes: the cipher hands over a few kilobytes at a time
                OutputStream disk = new FilterOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        mac.update(b, off, len);
                        out.write(b, off, len);
                    }

                    @Override
                    public void write(int b) throws IOException {
                        mac.update((byte) b);
                        out.write(b);
                    }
                };
                stream = new CipherOutputStream(disk, ctr);
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot encrypt the package", e);
            }
        }

        OutputStream stream() {
            return stream;
        }

        /** After the stream is closed: the wrapped key, IV and MAC to store with the package. */
        Sealed seal() throws IOException {
            try {
                byte[] nonce = Secrets.randomBytes(12);
                Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
                gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keyEncryptionKey, "AES"), new GCMParameterSpec(128, nonce));
                byte[] wrapped = gcm.doFinal(dataKey);
                return new Sealed(Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + wrapped.length).put(nonce)
                        .put(wrapped).array()), HexFormat.of().formatHex(iv), HexFormat.of().formatHex(mac.doFinal()));
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot seal the package", e);
            }
        }
    }

    /**
     * Opens a package for reading: checks the MAC over the whole file first (so a tampered or
     * truncated file is refused before anything is sent), then decrypts as it is read.
     */
    InputStream open(Path file, Sealed sealed) throws IOException {
        return open(file, Files.size(file), sealed, "");
    }

    /** Like {@link #open(Path, Sealed)} for the first {@code length} bytes of the file (a sealed part keeps its seal after them). */
    InputStream open(Path file, long length, Sealed sealed, String context) throws IOException {
        try {
            byte[] wrapped = Base64.getDecoder().decode(sealed.wrappedKey());
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keyEncryptionKey, "AES"), new GCMParameterSpec(128, wrapped, 0, 12));
            byte[] dataKey = gcm.doFinal(wrapped, 12, wrapped.length - 12);
            byte[] iv = HexFormat.of().parseHex(sealed.iv());
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(subKey(dataKey, "mac"), "HmacSHA256"));
            mac.update(iv);
            mac.update(context.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            // one open file for both passes: a file moved into place meanwhile cannot be decrypted unchecked
            java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ);
            try {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(64 * 1024);
                long left = length;
                while (left > 0) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), left));
                    int n = channel.read(buffer);
                    if (n < 0) {
                        throw new IOException("the package file is shorter than it should be");
                    }
                    mac.update(buffer.array(), 0, n);
                    left -= n;
                }
                if (!MessageDigest.isEqual(mac.doFinal(), HexFormat.of().parseHex(sealed.mac()))) {
                    throw new IOException("the package file does not match its MAC: tampered with or incomplete");
                }
                Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
                ctr.init(Cipher.DECRYPT_MODE, new SecretKeySpec(subKey(dataKey, "enc"), "AES"), new IvParameterSpec(iv));
                channel.position(0);
                return new CipherInputStream(limited(java.nio.channels.Channels.newInputStream(channel), length), ctr);
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot open the package", e);
        }
    }

    /**
     * Writes a sealed file whose seal travels in the file itself, after the ciphertext:
     * {@code ciphertext | seal as JSON | 4-byte length of the seal}. One file, so moving it into
     * place is one atomic step. Used for each system's part while a package is being gathered.
     */
    void writeSealed(Path file, String context, IoWriter writer) throws IOException {
        Sealing sealing = create(file, context);
        try (OutputStream out = sealing.stream()) {
            writer.write(out);
        }
        Sealed sealed = sealing.seal();
        byte[] seal = (sealed.wrappedKey() + "\n" + sealed.iv() + "\n" + sealed.mac()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (OutputStream out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND)) {
            out.write(seal);
            out.write(ByteBuffer.allocate(4).putInt(seal.length).array());
        }
    }

    /** Opens a file written by {@link #writeSealed}, after checking its MAC. */
    InputStream openSealed(Path file, String context) throws IOException {
        long size = Files.size(file);
        try (java.nio.channels.SeekableByteChannel channel = Files.newByteChannel(file)) {
            if (size < 4) {
                throw new IOException("not a sealed file");
            }
            ByteBuffer length = ByteBuffer.allocate(4);
            channel.position(size - 4).read(length);
            int sealLength = length.flip().getInt();
            if (sealLength <= 0 || sealLength > 4096 || sealLength > size - 4) {
                throw new IOException("not a sealed file");
            }
            ByteBuffer seal = ByteBuffer.allocate(sealLength);
            channel.position(size - 4 - sealLength);
            while (seal.hasRemaining() && channel.read(seal) > 0) {
                // read the whole seal
            }
            String[] parts = new String(seal.array(), java.nio.charset.StandardCharsets.US_ASCII).split("\n");
            if (parts.length != 3) {
                throw new IOException("not a sealed file");
            }
            return open(file, size - 4 - sealLength, new Sealed(parts[0], parts[1], parts[2]), context);
        }
    }

    /** Writes content to a stream. */
    @FunctionalInterface
    interface IoWriter {
        void write(OutputStream out) throws IOException;
    }

    private static InputStream limited(InputStream in, long length) {
        return new java.io.FilterInputStream(in) {
            private long left = length;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = super.read();
                if (b >= 0) {
                    left--;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }
        };
    }

    private static byte[] subKey(byte[] dataKey, String purpose) throws GeneralSecurityException {
        Mac h = Mac.getInstance("HmacSHA256");
        h.init(new SecretKeySpec(dataKey, "HmacSHA256"));
        return h.doFinal(purpose.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
