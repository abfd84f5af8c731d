package org.dsrflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.dsrflow.Commands;
import org.dsrflow.embedded.EmbeddedPostgresServer;
import org.dsrflow.support.DsrflowProcess;
import org.dsrflow.support.EmbeddedStackTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ScriptUtils;

/**
 * The smoke version of the benchmarks, in every build: each scenario of the {@code benchmark}
 * command runs once at a tiny scale against this test's own servers — erasure and export on
 * demo-schema databases of its own, the end-to-end scenarios through the running application, the
 * start-up scenario as a child JVM — and must print its line of the results table with a time.
 */
class BenchmarkCommandTests extends EmbeddedStackTest {
    /** A results row: scenario, measure, runs, median. */
    private static final Pattern ROW = Pattern.compile("(?m)^\\| ([^|]+) \\| ([^|]+) \\| (\\d+) \\| ([^|]+) \\|");

    @Autowired
    EmbeddedPostgresServer postgres;

    @Test
    void everyScenarioRunsAtATinyScaleAndReportsItsTimes() throws Exception {
        for (String system : List.of("billing", "logs", "crm")) {
            demoSchema("smoke_" + system, system);
        }
        Map<String, String> env = Map.of(
                "DSRFLOW_BENCH_PG", "jdbc:postgresql://localhost:" + postgres.port() + "/",
                "DSRFLOW_BENCH_DB_PREFIX", "smoke_",
                "DSRFLOW_BENCH_CASE_STORE", "jdbc:postgresql://localhost:" + postgres.port() + "/dsrflow",
                "DSRFLOW_BENCH_APP", "http://localhost:" + port,
                "DSRFLOW_BENCH_SMTP_PORT", Integer.toString(smtpPort),
                "DSRFLOW_BENCH_KAFKA", brokers,
                "DSRFLOW_BENCH_CLASSPATH", DsrflowProcess.classpath(),
                // the smoke run checks that the scenario works, not how fast: start the child quickly
                "DSRFLOW_BENCH_JAVA_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx384m");

        String erase = run(env, "benchmark", "erase", "--runs=1", "--rows=400");
        assertThat(median(erase, "1 erase heavy subject", "logs connector erase, 400 rows")).isPositive();
        JdbcTemplate logs = new JdbcTemplate(postgres.dataSource("smoke_logs"));
        assertThat(logs.queryForObject("select count(*) from access_logs where user_email like 'heavy%'", Long.class))
                .as("both heavy subjects erased, one by the connector and one by hand").isZero();

        // a subject to export: the generator's heavy subjects of this database were all erased above; enough other
        // accounts (with a few log rows) for the throughput rounds to ask generated people, drawn at random
        run(env, "generate-data", "--accounts=80", "--heavy=1", "--heavy-rows=300", "--log-rows=400",
                "--billing-db=smoke_billing", "--logs-db=smoke_logs", "--crm-db=smoke_crm");
        String export = run(env, "benchmark", "export", "--runs=2");
        assertThat(median(export, "2 export heavy subject", "logs connector → sealed JSON part, 300 records")).isPositive();
        assertThat(export).containsPattern("heap limit \\d+ MB, peak heap in use during dsrflow's export \\d+ MB");

        String flow = run(env, "benchmark", "throughput", "intake", "--requests=4", "--warmup=3", "--concurrency=2", "--timeout=PT2M");
        // the warm-up round runs first and is printed, but only the measured round is in the table
        assertThat(flow).contains("throughput: 4 requests (generated account people)")
                .containsPattern("the access requesters' logs: \\d+ rows, \\d+\\.\\d a person \\(\\d+ people have some, at most \\d+\\)");
        // the warm-up reads the server's compile time from its metrics; a server this cold is still compiling after
        // the first round, so a second one runs, up to --warmup-max (twice --warmup by default), and then it measures
        assertThat(flow).containsPattern("warm-up: 3 requests \\(at least 3\\), \\d+\\.\\d requests/s to reply sent, "
                        + "the server compiled for \\d+\\.\\d s \\(\\d+\\.\\d ms a request\\) \\(not reported\\)")
                .contains("warm-up: 6 requests (at least 3)")
                .contains("still compiling after 6 requests (--warmup-max): measuring anyway")
                .doesNotContain("warm-up: 9 requests")
                .containsPattern("the server compiled for \\d+\\.\\d s during the round \\(\\d+\\.\\d ms a request\\)");
        // and what PostgreSQL read from outside its buffers between the first verification and the last reply
        assertThat(flow).containsPattern("read by PostgreSQL from outside its buffers \\(the OS cache or the disk\\), verification to reply: "
                + "(nothing|\\w+ \\d+\\.\\d MB \\(\\d+ % of its blocks\\))");
        // and what PostgreSQL did on its own meanwhile (autovacuum, checkpoints), or that it did neither
        assertThat(flow).containsPattern("PostgreSQL's own background work, verification to reply: (none|autovacuum |\\d+ checkpoints? begun \\()")
                .doesNotContain("checkpoints unknown");
        assertThat(flow).doesNotContain("3 requests, verification to reply");
        assertThat(median(flow, "3 verified requests → reply", "4 requests, verification to reply sent")).isPositive();
        assertThat(median(flow, "3 verified requests → reply", "4 requests, verification to reply queued")).isPositive();
        assertThat(flow).containsPattern("\\| throughput to reply sent \\| 1 \\| \\d+\\.\\d requests/s \\|");
        // paced: six verifications a second, and the replies' rate in the middle of the round reported against the goal
        // --settled=0: exactly --warmup (none here), whatever --warmup-max says
        // --prewarm=yes: the demo systems' databases loaded into PostgreSQL's shared buffers first
        String paced = run(env, "benchmark", "throughput", "--requests=6", "--rate=6", "--warmup-max=3", "--settled=0", "--concurrency=2",
                "--timeout=PT2M", "--prewarm=yes");
        assertThat(paced).doesNotContain("warm-up:")
                .containsPattern("prewarm: billing \\d+ MiB, logs \\d+ MiB, crm \\d+ MiB into shared buffers of \\d+ MiB, in \\d")
                .doesNotContain("does not fit in the shared buffers");
        // the sixth attestation is not sent before 5/6 s
        assertThat(paced).containsPattern("attested in (0\\.[89]\\d|[1-9]\\.\\d\\d|\\d{2,}\\.\\d) s")
                .containsPattern("\\| 3 verified requests → reply, 6 verified per second \\| sustained: replies sent per second, "
                        + "middle 80 % of the replies \\| 1 \\| \\d+\\.\\d requests/s \\|");
        for (String channel : List.of("web", "ticket", "mail")) {
            assertThat(median(flow, "4 intake: " + channel, null)).as(channel).isPositive();
        }

        // a cold start only: the warm one runs the same code again and would add half a minute to every build
        String startup = run(env, "benchmark", "startup", "--runs=1", "--warm=no");
        assertThat(median(startup, "6 demo start-up", "cold: empty data folder, to ready and the home page served")).isPositive();
        assertThat(startup).doesNotContain("warm: the same folder again");

        ByteArrayOutputStream refused = new ByteArrayOutputStream();
        assertThat(Commands.run(new String[] {"benchmark", "erasse"}, env, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(refused, true, StandardCharsets.UTF_8))).isEqualTo(2);
        assertThat(refused.toString(StandardCharsets.UTF_8)).contains("unknown scenario or option 'erasse'").contains("erase, export");
        ByteArrayOutputStream bounds = new ByteArrayOutputStream();
        assertThat(Commands.run(new String[] {"benchmark", "throughput", "--warmup=600", "--warmup-max=500"}, env,
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(bounds, true, StandardCharsets.UTF_8))).isEqualTo(2);
        assertThat(bounds.toString(StandardCharsets.UTF_8)).contains("--warmup-max must not be less than --warmup");
        ByteArrayOutputStream prewarm = new ByteArrayOutputStream();
        assertThat(Commands.run(new String[] {"benchmark", "throughput", "--prewarm=maybe"}, env,
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(prewarm, true, StandardCharsets.UTF_8))).isEqualTo(2);
        assertThat(prewarm.toString(StandardCharsets.UTF_8)).contains("--prewarm is yes or no");
    }

    private static String run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long began = System.nanoTime();
        int exit = Commands.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        System.out.printf("%s (%.1f s):%n%s%n", String.join(" ", args), (System.nanoTime() - began) / 1e9, printed);
        assertThat(exit).as(String.join(" ", args) + ":\n" + printed + err.toString(StandardCharsets.UTF_8)).isZero();
        return printed;
    }

    /** The median of a results row, in seconds (a scenario's row whose measure starts with {@code measure}, or its first row). */
    private static double median(String printed, String scenario, String measure) {
        Matcher m = ROW.matcher(printed);
        while (m.find()) {
            if (m.group(1).equals(scenario) && (measure == null || m.group(2).startsWith(measure))) {
                String cell = m.group(4).trim();
                double value = Double.parseDouble(cell.replaceAll("[^0-9.]", ""));
                return cell.endsWith(" ms") ? value / 1000 : value;
            }
        }
        throw new AssertionError("no results row for '" + scenario + "' / '" + measure + "' in:\n" + printed);
    }

    private void demoSchema(String database, String system) throws Exception {
        DataSource db = postgres.dataSource(database);
        boolean exists = new JdbcTemplate(db).queryForObject("select count(*) from information_schema.tables where table_schema = 'public'",
                Long.class) > 0;
        if (!exists) {
            try (Connection c = db.getConnection()) {
                ScriptUtils.executeSqlScript(c, new ClassPathResource("demo/" + system + ".sql"));
            }
        }
    }
}
