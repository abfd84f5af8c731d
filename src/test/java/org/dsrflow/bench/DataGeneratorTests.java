package org.dsrflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.dsrflow.Commands;
import org.dsrflow.embedded.EmbeddedPostgresServer;
import org.dsrflow.support.EmbeddedStackTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ScriptUtils;

/**
 * The benchmark data generator at a tiny scale (the smoke version that runs in every build), into
 * databases of its own made from the demo systems' schemas: the numbers asked for, heavy subjects
 * with their rows, a skewed spread, a second run adding to the first, and a clear refusal of a bad option.
 */
class DataGeneratorTests extends EmbeddedStackTest {
    @Autowired
    EmbeddedPostgresServer postgres;

    @Test
    void fillsTheDemoSchemasWithTheAskedNumbersAndASkewedSpread() throws Exception {
        JdbcTemplate billing = schema("bench_billing", "billing");
        JdbcTemplate logs = schema("bench_logs", "logs");
        JdbcTemplate crm = schema("bench_crm", "crm");
        long demoAccounts = billing.queryForObject("select count(*) from accounts", Long.class);

        String[] args = {"generate-data", "--accounts=300", "--log-rows=3000", "--heavy=2", "--heavy-rows=500",
            "--billing-db=bench_billing", "--logs-db=bench_logs", "--crm-db=bench_crm"};
        Map<String, String> env = Map.of("DSRFLOW_BENCH_PG", "jdbc:postgresql://localhost:" + postgres.port() + "/");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Commands.generateData(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("300 accounts").contains("access_logs");

        assertThat(billing.queryForObject("select count(*) from accounts", Long.class)).isEqualTo(demoAccounts + 300);
        assertThat(billing.queryForObject("select count(*) from accounts where email like '%@bench.example.org'", Long.class)).isEqualTo(300);
        assertThat(billing.queryForObject("select count(*) from invoices i join accounts a on a.account_id = i.account_id "
                + "where a.email like '%@bench.example.org'", Long.class)).isEqualTo(150);
        List<String> heavySubjects = billing.queryForList("select email from accounts where email like 'heavy%@bench.example.org' "
                + "order by account_id", String.class);
        assertThat(heavySubjects).hasSize(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("heavy subject: " + heavySubjects.get(0));
        for (String heavy : heavySubjects) {
            assertThat(logs.queryForObject("select count(*) from access_logs where lower(user_email) = ? and path = '/api/v1/instances'",
                    Long.class, heavy)).as(heavy).isEqualTo(500);
        }
        assertThat(logs.queryForObject("select count(*) from access_logs where user_email like '%@bench.example.org'", Long.class)
                + logs.queryForObject("select count(*) from operation_logs where user_email like '%@bench.example.org'", Long.class))
                .isEqualTo(1000 + 3000);
        // skewed: the busiest ordinary account has many times the rows of the median one
        List<Long> perAccount = logs.queryForList("select count(*) from (select user_email from access_logs where path = '/console/overview' and user_email like 'bench%' "
                + "union all select user_email from operation_logs where user_email like 'bench%') r group by user_email order by 1 desc", Long.class);
        assertThat(perAccount.get(0)).isGreaterThan(10 * perAccount.get(perAccount.size() / 2));
        assertThat(crm.queryForObject("select count(*) from contacts where email like '%@bench.example.org'", Long.class)).isEqualTo(75);
        // settled: every loaded table vacuumed by the generator itself (not left to autovacuum, to run
        // during whatever comes next). How many pages the vacuum can mark all-visible depends on the
        // transactions running beside it at that moment, so that is not asserted here.
        for (JdbcTemplate db : List.of(billing, logs, crm)) {
            assertThat(db.queryForList("select relname from pg_stat_user_tables where relname in ('accounts', 'orders', 'invoices', "
                    + "'access_logs', 'operation_logs', 'contacts', 'support_tickets') and last_vacuum is null", String.class)).isEmpty();
        }
        assertThat(billing.queryForObject("select count(*) from pg_stat_user_tables where last_vacuum is not null "
                + "and relname in ('accounts', 'orders', 'invoices')", Long.class)).isEqualTo(3);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("vacuumed (freeze, analyze)");

        // a second run adds after the first (ids continue)
        assertThat(Commands.generateData(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))).isZero();
        assertThat(billing.queryForObject("select count(*) from accounts where email like '%@bench.example.org'", Long.class)).isEqualTo(600);
        assertThat(billing.queryForObject("select count(distinct email) from accounts where email like '%@bench.example.org'", Long.class))
                .as("new people, not the same addresses again").isEqualTo(600);

        // a transaction open beside the load (its id older than the loaded rows) keeps the vacuum from marking
        // their pages all-visible: the generator tries again, then says what it could not settle
        ByteArrayOutputStream held = new ByteArrayOutputStream();
        try (Connection open = postgres.dataSource("bench_billing").getConnection()) {
            open.setAutoCommit(false);
            try (var s = open.createStatement()) {
                s.execute("select txid_current()");
            }
            assertThat(Commands.generateData(args, env, new PrintStream(held, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8))).isZero();
            open.rollback();
        }
        assertThat(held.toString(StandardCharsets.UTF_8)).containsPattern("accounts, orders, invoices +vacuumed \\(freeze, analyze\\) in \\d+\\.\\d s; "
                + "pages marked all-visible: accounts \\d+ of \\d+")
                // the other databases settle, in one pass or, when something ran beside that vacuum, in a few
                .containsPattern("access_logs, operation_logs +vacuumed \\(freeze, analyze\\) in \\d+\\.\\d s( \\([2-5] passes\\))?\\R");

        ByteArrayOutputStream refused = new ByteArrayOutputStream();
        assertThat(Commands.generateData(new String[] {"generate-data", "--acounts=5"}, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(refused, true, StandardCharsets.UTF_8))).isEqualTo(2);
        assertThat(refused.toString(StandardCharsets.UTF_8)).contains("unknown option '--acounts=5'").contains("--accounts=");
    }

    /** A database of the test's own with a demo system's tables (and its few demo rows). */
    private JdbcTemplate schema(String database, String system) throws Exception {
        DataSource db = postgres.dataSource(database);
        JdbcTemplate jdbc = new JdbcTemplate(db);
        boolean exists = jdbc.queryForObject("select count(*) from information_schema.tables where table_schema = 'public'", Long.class) > 0;
        if (!exists) {
            try (Connection c = db.getConnection()) {
                ScriptUtils.executeSqlScript(c, new ClassPathResource("demo/" + system + ".sql"));
            }
        }
        return jdbc;
    }
}
