package org.dsrflow.fulfilment;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.dsrflow.connector.Connector;
import org.dsrflow.connector.ExportSummary;
import org.dsrflow.connector.RecordSink;
import org.dsrflow.connector.Subject;
import org.dsrflow.verification.Secrets;

/** How one system's export becomes a part file: its records as JSON, streamed into the sealed part. */
public final class ExportParts {
    private ExportParts() {
    }

    /** Streams the records the writer produces as JSON into {@code out}, which stays open: the seal is written after. */
    static ExportSummary writeJson(ObjectMapper json, OutputStream out, String system, Function<RecordSink, ExportSummary> writer)
            throws IOException {
        // the sink is closed before the stream under it, so the JSON is complete when the seal is written
        try (JsonFileSink sink = new JsonFileSink(json, new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        }, system)) {
            return writer.apply(sink);
        }
    }

    /**
     * One system's export for one person exactly as a fan-out task writes it — JSON, encrypted and
     * sealed into {@code file} — under a throw-away key. For the benchmark command.
     */
    public static ExportSummary writeSealed(Path file, ObjectMapper json, Connector connector, Subject subject) throws IOException {
        PackageCipher cipher = new PackageCipher(Secrets.randomBytes(32));
        ExportSummary[] written = new ExportSummary[1];
        cipher.writeSealed(file, "benchmark/" + connector.system(),
                out -> written[0] = writeJson(json, out, connector.system(), sink -> connector.export(subject, sink)));
        return written[0];
    }
}
