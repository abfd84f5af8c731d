package org.dsrflow.fulfilment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.dsrflow.support.EmbeddedStackTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/** Each system's part of a package is sealed on disk and opens only whole, untouched, and for its own case and system. */
class SealedPartTests extends EmbeddedStackTest {
    private static final String RECORDS = "{\"system\":\"billing\",\"tables\":{\"accounts\":[{\"email\":\"ann@example.com\"}]}}";

    @Autowired
    PackageCipher cipher;
    @TempDir
    Path dir;

    @Test
    void aPartOpensForItsOwnCaseAndSystemOnly() throws Exception {
        Path part = sealed();
        assertThat(new String(Files.readAllBytes(part), StandardCharsets.ISO_8859_1)).doesNotContain("ann@example.com", "accounts");
        try (InputStream in = cipher.openSealed(part, "case-1/billing")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(RECORDS);
        }
        assertThatThrownBy(() -> cipher.openSealed(part, "case-2/billing")).isInstanceOf(IOException.class).hasMessageContaining("MAC");
    }

    @Test
    void aChangedOrCutPartIsRefusedBeforeAnyByteIsRead() throws Exception {
        Path part = sealed();
        byte[] bytes = Files.readAllBytes(part);
        bytes[3] ^= 1;
        Path flipped = dir.resolve("flipped");
        Files.write(flipped, bytes);
        assertThatThrownBy(() -> cipher.openSealed(flipped, "case-1/billing")).isInstanceOf(IOException.class);

        Path cut = dir.resolve("cut");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(part), 10));
        assertThatThrownBy(() -> cipher.openSealed(cut, "case-1/billing")).isInstanceOf(IOException.class);

        Path garbage = dir.resolve("garbage");
        Files.write(garbage, new byte[] {0, 0, 0, 9, 1, 2});
        assertThatThrownBy(() -> cipher.openSealed(garbage, "case-1/billing")).isInstanceOf(IOException.class);
    }

    private Path sealed() throws IOException {
        Path part = dir.resolve("billing.json");
        Files.deleteIfExists(part);
        cipher.writeSealed(part, "case-1/billing", out -> out.write(RECORDS.getBytes(StandardCharsets.UTF_8)));
        return part;
    }
}
