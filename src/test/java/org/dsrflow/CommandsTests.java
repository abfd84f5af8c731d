package org.dsrflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.dsrflow.audit.AuditLog;
import org.dsrflow.embedded.EmbeddedPostgresServer;
import org.dsrflow.support.EmbeddedStackTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@code java -jar dsrflow.jar verify-audit}: finds the first broken row of a real audit log, and says so in its exit code. */
class CommandsTests extends EmbeddedStackTest {
    @Autowired
    EmbeddedPostgresServer postgres;
    @Autowired
    JdbcTemplate admin;

    @Test
    void verifyAuditReportsTheFirstBrokenRowOfTheChain() {
        // a database of its own, so tampering with it disturbs no other test
        admin.execute("drop database if exists audit_command_check with (force)");
        admin.execute("create database audit_command_check");
        // an unpooled source: a pool would keep trying to reach the database after it is dropped below
        JdbcTemplate db = new JdbcTemplate(new org.springframework.jdbc.datasource.DriverManagerDataSource(
                postgres.jdbcUrl("audit_command_check"), "postgres", ""));
        // the case store's schema as the application migrates it (the audit log and its chain-head function)
        org.flywaydb.core.Flyway.configure().dataSource(db.getDataSource()).locations("classpath:db/migration").load().migrate();
        AuditLog log = new AuditLog(db);
        for (int i = 1; i <= 5; i++) {
            log.append("01JCASE000000000000000000" + i, "operator:mei.lin", "case.note", Map.of("n", i));
        }
        Map<String, String> env = Map.of("DSRFLOW_DB_URL", postgres.jdbcUrl("audit_command_check"), "DSRFLOW_DB_USER", "postgres");

        Run intact = run(env);
        assertThat(intact.code()).isZero();
        assertThat(intact.out()).isEqualTo("audit chain intact: 5 rows checked");

        db.update("update audit_log set detail = '{\"n\":30}' where seq = 3");
        Run edited = run(env);
        assertThat(edited.code()).isEqualTo(1);
        assertThat(edited.out()).isEqualTo("audit chain BROKEN at row 3: content does not match its hash (2 rows before it are intact)");

        db.update("update audit_log set detail = '{\"n\":3}' where seq = 3");
        assertThat(run(env).code()).as("restored").isZero();
        db.update("delete from audit_log where seq = 2");
        Run deleted = run(env);
        assertThat(deleted.code()).isEqualTo(1);
        assertThat(deleted.out()).startsWith("audit chain BROKEN at row 3: row 2 is missing");

        Run unreachable = run(Map.of("DSRFLOW_DB_URL", "jdbc:postgresql://localhost:1/none", "DSRFLOW_DB_USER", "postgres"));
        assertThat(unreachable.code()).isEqualTo(2);
        assertThat(unreachable.err()).startsWith("verify-audit: cannot read the audit log at jdbc:postgresql://localhost:1/none");
        admin.execute("drop database if exists audit_command_check with (force)");
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Commands.verifyAudit(env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8).trim(), err.toString(StandardCharsets.UTF_8).trim());
    }
}
