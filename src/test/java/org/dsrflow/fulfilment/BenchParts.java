package org.dsrflow.fulfilment;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.dsrflow.DsrflowSettings;
import org.dsrflow.verification.Secrets;
import org.dsrflow.verification.TestSecrets;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/**
 * Test support for the export benchmarks, which live in another package: one system's part written
 * the way {@code FulfilmentService#writePart} writes it — {@link JsonFileSink} over either a plain
 * stream or the sealed part file of {@link ExportPackager} — without a running application.
 */
public final class BenchParts {
    private final ObjectMapper json = Jackson2ObjectMapperBuilder.json().build();
    private final ExportPackager packager;

    /** Parts are written under {@code exportDir}/{case id}/{system}.json, as in a real export folder. */
    public BenchParts(Path exportDir) {
        Secrets secrets = TestSecrets.keyedWith("benchmark-only-secret");
        DsrflowSettings settings = new DsrflowSettings("https://privacy.example.com", null, "benchmark-only-secret", null, null,
                new DsrflowSettings.Export(exportDir.toString(), Duration.ofDays(7)));
        this.packager = new ExportPackager(settings, secrets, null, json, new PackageCipher(secrets));
    }

    /** One table of rows as JSON into {@code out}, which is flushed but left open; returns the bytes written. */
    public long writeTable(OutputStream out, String system, String table, List<Map<String, Object>> rows) {
        CountingStream counted = new CountingStream(out);
        try (JsonFileSink sink = new JsonFileSink(json, counted, system)) {
            sink.startTable(table, "benchmark");
            rows.forEach(sink::record);
            sink.endTable(table, rows.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counted.bytes;
    }

    /** The same table as the sealed, encrypted part of {@code caseId} for {@code system}; returns the plain bytes sealed. */
    public long writeSealedPart(String caseId, String system, String table, List<Map<String, Object>> rows) {
        return packager.writePart(caseId, system, out -> writeTable(out, system, table, rows));
    }

    /** The file a sealed part ends up in. */
    public Path partFile(String caseId, String system) {
        return packager.partFile(caseId, system);
    }

    /**
     * Counts what passes and, like the fulfilment's wrapper, hands whole buffers on (the inherited
     * array write goes byte by byte) and only flushes on close: the sealed stream under it is closed by its owner.
     */
    private static final class CountingStream extends FilterOutputStream {
        private long bytes;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            bytes += len;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            bytes++;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
