package org.dsrflow;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.dsrflow.audit.AuditLog;
import org.dsrflow.audit.ChainVerification;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

/**
 * Commands run instead of the server: {@code java -jar dsrflow.jar <command>} (or
 * {@code ./mvnw spring-boot:run -Dspring-boot.run.arguments=<command>}).
 * <ul>
 * <li>{@code verify-audit}: walks the audit chain in the case store and reports the first broken row;
 * exit 0 intact, 1 broken, 2 could not check. The database from {@code DSRFLOW_DB_URL},
 * {@code DSRFLOW_DB_USER}, {@code DSRFLOW_DB_PASSWORD}, by default the running demo's.</li>
 * <li>{@code hash-password}: reads a password (twice, without echo on a terminal; one line from a pipe)
 * and prints the hash to put in {@code dsrflow.security.users}.</li>
 * <li>{@code generate-data}: fills the demo systems' databases at scale for the benchmarks (BENCHMARKS.md);
 * options {@code --accounts=}, {@code --log-rows=}, {@code --heavy=}, {@code --heavy-rows=}, {@code --seed=};
 * the server from {@code DSRFLOW_BENCH_PG} (by default the running demo's, {@code jdbc:postgresql://localhost:54329/}).</li>
 * <li>{@code benchmark}: runs the benchmark scenarios against that server and the running dsrflow
 * ({@link org.dsrflow.bench.Benchmarks}).</li>
 * </ul>
 */
public final class Commands {
    static final String DEMO_DB = "jdbc:postgresql://localhost:54329/dsrflow";

    private Commands() {
    }

    static boolean handles(String first) {
        return "verify-audit".equals(first) || "hash-password".equals(first) || "generate-data".equals(first) || "benchmark".equals(first);
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return switch (args[0]) {
            case "verify-audit" -> verifyAudit(env, out, err);
            case "hash-password" -> hashPassword(out, err);
            case "generate-data" -> generateData(args, env, out, err);
            case "benchmark" -> org.dsrflow.bench.Benchmarks.run(args, env, out, err);
            default -> 2;
        };
    }

    /** Checks the chain of the database the environment names; the text says the first broken row, if any. */
    public static int verifyAudit(Map<String, String> env, PrintStream out, PrintStream err) {
        String url = env.getOrDefault("DSRFLOW_DB_URL", DEMO_DB);
        DriverManagerDataSource db = new DriverManagerDataSource(url, env.getOrDefault("DSRFLOW_DB_USER", "postgres"),
                env.getOrDefault("DSRFLOW_DB_PASSWORD", ""));
        ChainVerification result;
        try {
            result = new AuditLog(new JdbcTemplate(db)).verify();
        } catch (RuntimeException e) {
            err.println("verify-audit: cannot read the audit log at " + url + ": " + rootMessage(e));
            return 2;
        }
        if (result.intact()) {
            out.println("audit chain intact: " + result.rowsChecked() + " rows checked");
            return 0;
        }
        out.println("audit chain BROKEN at row " + result.firstBrokenSeq() + ": " + result.problem()
                + " (" + result.rowsChecked() + " rows before it are intact)");
        return 1;
    }

    /** Fills billing, logs and crm of the server the environment names; exit 0 done, 2 bad options or failed. */
    public static int generateData(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Map<String, String> options = new java.util.LinkedHashMap<>(Map.of("accounts", "1000000", "log-rows", "20000000", "heavy", "2",
                "heavy-rows", "1000000", "seed", "20261202", "billing-db", "billing", "logs-db", "logs", "crm-db", "crm"));
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            int eq = a.indexOf('=');
            String name = a.startsWith("--") && eq > 2 ? a.substring(2, eq) : null;
            if (name == null || !options.containsKey(name)) {
                err.println("generate-data: unknown option '" + Printable.clip(a, 60) + "'; options: --" + String.join("=, --", options.keySet()) + "=");
                return 2;
            }
            options.put(name, a.substring(eq + 1));
        }
        org.dsrflow.bench.DataGenerator.Plan plan;
        try {
            plan = new org.dsrflow.bench.DataGenerator.Plan(Long.parseLong(options.get("accounts")), Long.parseLong(options.get("log-rows")),
                    Integer.parseInt(options.get("heavy")), Long.parseLong(options.get("heavy-rows")), Long.parseLong(options.get("seed")));
        } catch (IllegalArgumentException e) {
            err.println("generate-data: " + e.getMessage());
            return 2;
        }
        String server = env.getOrDefault("DSRFLOW_BENCH_PG", "jdbc:postgresql://localhost:54329/");
        String base = server.endsWith("/") ? server : server + "/";
        var target = new org.dsrflow.bench.DataGenerator.Target(base + options.get("billing-db"), base + options.get("logs-db"),
                base + options.get("crm-db"), env.getOrDefault("DSRFLOW_BENCH_DB_USER", "postgres"), env.getOrDefault("DSRFLOW_BENCH_DB_PASSWORD", ""));
        try {
            new org.dsrflow.bench.DataGenerator(plan, target, out).run();
            return 0;
        } catch (java.sql.SQLException | RuntimeException e) {
            err.println("generate-data: failed against " + base + ": " + rootMessage(e));
            return 2;
        }
    }

    private static int hashPassword(PrintStream out, PrintStream err) {
        String password;
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("Password: ");
            char[] again = console.readPassword("Again: ");
            if (first == null || again == null || !java.util.Arrays.equals(first, again)) {
                err.println("hash-password: the two entries differ");
                return 2;
            }
            password = new String(first);
        } else {
            try {
                password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                password = null;
            }
        }
        if (password == null || password.length() < 12) {
            err.println("hash-password: use at least 12 characters");
            return 2;
        }
        out.println(PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(password));
        return 0;
    }

    /** The innermost cause's message (or its type, when it has none): what a command prints when it fails. */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
