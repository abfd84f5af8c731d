package org.dsrflow.bench.jmh;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.dsrflow.fulfilment.BenchParts;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.util.FileSystemUtils;

/**
 * What an access export does to each row once the database has handed it over: the JSON encoding
 * of one system's part, into nothing (JSON alone) and into the sealed part file the fulfilment
 * writes (JSON, AES-CTR, HMAC and the disk). The difference between the two is the sealing.
 * Rows are shaped like the demo's access log; one invocation writes one part of
 * {@value #ROWS_PER_PART} rows, so the score is rows per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(ExportEncodingBenchmark.ROWS_PER_PART)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@State(Scope.Benchmark)
public class ExportEncodingBenchmark {
    static final int ROWS_PER_PART = 10_000;
    private static final String CASE_ID = "bench-export";

    /**
     * Where the sealed parts are written; empty for the system's temporary folder. A folder in memory
     * ({@code -p partsDir=/dev/shm}) leaves the disk out and shows what the sealing itself costs.
     */
    @Param("")
    public String partsDir;

    private Path exportDir;
    private BenchParts parts;
    private List<Map<String, Object>> rows;

    @Setup(Level.Trial)
    public void prepare() throws IOException {
        exportDir = partsDir.isEmpty() ? Files.createTempDirectory("dsrflow-bench-export")
                : Files.createTempDirectory(Path.of(partsDir), "dsrflow-bench-export");
        parts = new BenchParts(exportDir);
        rows = accessLog(ROWS_PER_PART);
    }

    @TearDown(Level.Trial)
    public void cleanUp() throws IOException {
        FileSystemUtils.deleteRecursively(exportDir);
    }

    @Benchmark
    public long encodeToNull() {
        return parts.writeTable(OutputStream.nullOutputStream(), "logs", "access_logs", rows);
    }

    @Benchmark
    public long encodeSealed() {
        // the same part file each time: it is replaced whole, as a retried task's part is
        return parts.writeSealedPart(CASE_ID, "logs", "access_logs", rows);
    }

    /** One heavy subject's access log: one account, many paths, a few addresses and browsers, a minute apart. */
    static List<Map<String, Object>> accessLog(int count) {
        String[] paths = {"/console/overview", "/console/billing/invoices", "/api/v1/instances", "/console/oss/buckets",
            "/api/v1/instances/i-4f2a9c/metrics?window=1h", "/console/security/keys"};
        int[] statuses = {200, 200, 200, 304, 200, 404, 200, 500};
        String[] agents = {
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
            "cloud-cli/3.12.1 (linux; amd64)"};
        Instant first = Instant.parse("2026-06-01T08:00:00Z");
        List<Map<String, Object>> log = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("log_id", 40_000_000L + i);
            row.put("account_id", 1_000_417L);
            row.put("user_email", "heavy417@bench.example.org");
            row.put("path", paths[i % paths.length]);
            row.put("http_status", statuses[i % statuses.length]);
            row.put("ip_address", "198.51.100." + (i % 250 + 1));
            row.put("user_agent", agents[i % agents.length]);
            row.put("accessed_at", first.plusSeconds(60L * i).toString());
            log.add(row);
        }
        return log;
    }
}
