package org.dsrflow.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.dsrflow.connector.Connector;
import org.dsrflow.connector.ConnectorCheck;
import org.dsrflow.connector.ErasureReport;
import org.dsrflow.connector.ExportSummary;
import org.dsrflow.connector.Subject;
import org.dsrflow.connector.VerifyReport;
import org.dsrflow.connector.jdbc.JdbcConnectors;
import org.dsrflow.fulfilment.ExportParts;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.springframework.core.env.StandardEnvironment;

/**
 * Scenarios 1 and 2: erasing and exporting one heavy subject through the logs system's connector —
 * the statements and the part file a fan-out task makes — side by side with the same work in plain
 * SQL, in the same run, on the same data. Erasure uses up its subjects, so each run erases two
 * fresh ones (one each way) that the data generator adds first; the order alternates between runs
 * and a checkpoint precedes every timed step, so neither side pays for the other's dirty pages.
 */
final class HeavySubjectBench implements AutoCloseable {
    /** The columns of access_logs in the connector file's order: what both sides read. */
    private static final String ACCESS_COLUMNS = "log_id, account_id, user_email, path, http_status, ip_address, user_agent, accessed_at";
    private static final String OPERATION_COLUMNS = "log_id, account_id, user_email, action, resource, ip_address, user_agent, occurred_at";

    private final BenchTarget target;
    private final PrintStream out;
    private final HikariDataSource logs;
    private final Connector connector;
    /** The memory the connector's exports sort with; the COPY side gets the same. */
    private final String exportWorkMem;

    HeavySubjectBench(BenchTarget target, Path connectorFile, PrintStream out) throws IOException {
        this.target = target;
        this.out = out;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(target.url("logs"));
        config.setUsername(target.user());
        config.setPassword(target.password());
        config.setMaximumPoolSize(2);
        config.setPoolName("bench-logs");
        this.logs = new HikariDataSource(config);
        String text = new StandardEnvironment().resolveRequiredPlaceholders(Files.readString(connectorFile, StandardCharsets.UTF_8));
        JsonNode definition = new ObjectMapper(new YAMLFactory()).readTree(text);
        this.connector = JdbcConnectors.open(connectorFile.getFileName().toString(), definition, logs, target.hashSecret());
        this.exportWorkMem = JdbcConnectors.exportWorkMem(connectorFile.getFileName().toString(), definition);
        ConnectorCheck check = connector.check();
        if (!check.ok()) {
            throw new IllegalStateException("the logs connector does not fit " + target.url("logs") + ": " + String.join("; ", check.problems()));
        }
    }

    /** Scenario 1. Adds {@code 2 × runs} heavy subjects of {@code rows} access-log rows, then erases them. */
    void erase(int runs, long rows, Report report) throws SQLException {
        out.printf(Locale.ROOT, "erase: adding %d heavy subjects of %,d access-log rows each%n", 2 * runs, rows);
        DataGenerator generator = new DataGenerator(new DataGenerator.Plan(2L * runs, 0, 2 * runs, rows, System.nanoTime()),
                target.generatorTarget(), out);
        generator.run();
        List<String> subjects = generator.heavySubjects();
        List<Double> ours = new ArrayList<>();
        List<Double> oursWithProof = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            String a = subjects.get(2 * i);
            String b = subjects.get(2 * i + 1);
            for (int side = 0; side < 2; side++) {
                checkpoint();
                if ((side == 0) == (i % 2 == 0)) {
                    long start = System.nanoTime();
                    ErasureReport erased = connector.erase(new Subject(a));
                    double erase = Stats.since(start);
                    VerifyReport proof = connector.verifyErased(new Subject(a));
                    double total = Stats.since(start);
                    long deleted = erased.tables().stream().filter(t -> t.table().equals("access_logs")).mapToLong(ErasureReport.TableErasure::rows).sum();
                    require(deleted == rows, "dsrflow erased " + deleted + " access-log rows of " + a + ", expected " + rows);
                    require(proof.remainingPerTable().getOrDefault("access_logs", -1L) == 0, "rows of " + a + " remain after erasure: " + proof.remainingPerTable());
                    ours.add(erase);
                    oursWithProof.add(total);
                    out.printf(Locale.ROOT, "  run %d dsrflow: erase %s, with the check that nothing remains %s%n", i + 1,
                            Stats.seconds(erase), Stats.seconds(total));
                } else {
                    long start = System.nanoTime();
                    long deleted = eraseByHand(b);
                    double took = Stats.since(start);
                    require(deleted == rows, "plain SQL deleted " + deleted + " rows of " + b + ", expected " + rows);
                    plain.add(took);
                    out.printf(Locale.ROOT, "  run %d plain SQL: %s%n", i + 1, Stats.seconds(took));
                }
            }
        }
        report.against("1 erase heavy subject", String.format(Locale.ROOT, "logs connector erase, %,d rows", rows), new Stats(ours), new Stats(plain), 1.2);
        report.against("1 erase heavy subject", "… and the check that nothing remains", new Stats(oursWithProof), new Stats(plain), 0);
    }

    /** The hand-written erasure a DBA would run: the same rows, one transaction. */
    private long eraseByHand(String email) throws SQLException {
        try (Connection c = logs.getConnection()) {
            c.setAutoCommit(false);
            long deleted;
            try (PreparedStatement update = c.prepareStatement("update operation_logs set user_email = md5(user_email), ip_address = null, "
                    + "user_agent = null where lower(user_email) = ?");
                 PreparedStatement delete = c.prepareStatement("delete from access_logs where lower(user_email) = ?")) {
                update.setString(1, email);
                update.executeUpdate();
                delete.setString(1, email);
                deleted = delete.executeUpdate();
            }
            c.commit();
            return deleted;
        }
    }

    /** Scenario 2. Exports {@code subject} (or the first heavy subject still having rows) {@code runs} times each way. */
    void export(int runs, String subject, Report report) throws SQLException, IOException {
        String email = subject != null ? subject : findHeavySubject();
        Path dir = Files.createTempDirectory("dsrflow-bench-export");
        ObjectMapper json = new ObjectMapper();
        long maxHeap = Runtime.getRuntime().maxMemory();
        out.printf(Locale.ROOT, "export: %s, heap limit %d MB%n", email, maxHeap >> 20);
        List<Double> ours = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        long peakHeap = 0;
        long ourBytes = 0;
        long plainBytes = 0;
        long records = 0;
        try {
            // one untimed run each way first: the first reader of a cold table pays for the disk
            for (int i = -1; i < runs; i++) {
                for (int side = 0; side < 2; side++) {
                    Path file = dir.resolve("run" + i + "-" + side);
                    if ((side == 0) == (i % 2 == 0)) {
                        resetPeakHeap();
                        long start = System.nanoTime();
                        ExportSummary summary = ExportParts.writeSealed(file, json, connector, new Subject(email));
                        double took = Stats.since(start);
                        records = summary.total();
                        ourBytes = Files.size(file);
                        peakHeap = Math.max(peakHeap, peakHeap());
                        if (i >= 0) {
                            ours.add(took);
                        }
                        out.printf(Locale.ROOT, "  %s dsrflow: %s, %,d records, %,d bytes sealed JSON%n", i < 0 ? "warm-up" : "run " + (i + 1),
                                Stats.seconds(took), records, ourBytes);
                    } else {
                        long start = System.nanoTime();
                        plainBytes = copyOut(email, file);
                        double took = Stats.since(start);
                        if (i >= 0) {
                            plain.add(took);
                        }
                        out.printf(Locale.ROOT, "  %s COPY: %s, %,d bytes of text%n", i < 0 ? "warm-up" : "run " + (i + 1), Stats.seconds(took), plainBytes);
                    }
                    Files.deleteIfExists(file);
                }
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
        require(records > 0, "the export of " + email + " found no records");
        report.against("2 export heavy subject", String.format(Locale.ROOT, "logs connector → sealed JSON part, %,d records", records),
                new Stats(ours), new Stats(plain), 1.5);
        report.note(String.format(Locale.ROOT, "export: heap limit %d MB, peak heap in use during dsrflow's export %d MB; output %,d bytes "
                + "(sealed JSON) against COPY's %,d bytes (text); work_mem %s on both sides", maxHeap >> 20, peakHeap >> 20, ourBytes,
                plainBytes, exportWorkMem));
    }

    /** COPY of the same rows, in the same order, to a file: the database's own limit for getting them out. */
    private long copyOut(String email, Path file) throws SQLException, IOException {
        String literal = "'" + email.toLowerCase(Locale.ROOT).replace("'", "''") + "'";
        // buffered like dsrflow's part file: COPY hands over one row per write
        try (Connection c = logs.getConnection(); OutputStream sink = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            c.setAutoCommit(false);
            try (PreparedStatement memory = c.prepareStatement("select set_config('work_mem', ?, true)")) {
                memory.setString(1, exportWorkMem);
                memory.executeQuery().close();
            }
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            copy.copyOut("copy (select " + OPERATION_COLUMNS + " from operation_logs where lower(user_email) = " + literal
                    + " order by log_id) to stdout", sink);
            copy.copyOut("copy (select " + ACCESS_COLUMNS + " from access_logs where lower(user_email) = " + literal
                    + " order by log_id) to stdout", sink);
            c.commit();
        }
        return Files.size(file);
    }

    private String findHeavySubject() throws SQLException {
        try (Connection billing = java.sql.DriverManager.getConnection(target.url("billing"), target.user(), target.password());
             Statement s = billing.createStatement();
             ResultSet rs = s.executeQuery("select email from accounts where email like 'heavy%' order by account_id");
             Connection c = logs.getConnection();
             PreparedStatement has = c.prepareStatement("select exists (select 1 from access_logs where lower(user_email) = ?)")) {
            while (rs.next()) {
                has.setString(1, rs.getString(1));
                try (ResultSet found = has.executeQuery()) {
                    if (found.next() && found.getBoolean(1)) {
                        return rs.getString(1);
                    }
                }
            }
        }
        throw new IllegalStateException("no heavy subject with log rows at " + target.url("logs") + ": run generate-data first, or name one with --subject=");
    }

    private void checkpoint() throws SQLException {
        try (Connection c = logs.getConnection(); Statement s = c.createStatement()) {
            s.execute("checkpoint");
        }
    }

    private static void resetPeakHeap() {
        ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalStateException(problem);
        }
    }

    @Override
    public void close() {
        logs.close();
    }
}
