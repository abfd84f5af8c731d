package org.dsrflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import org.dsrflow.support.EmbeddedStackTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Two instances contend for a role on the real case store; the leader's death hands the role over. */
class LeadershipTests extends EmbeddedStackTest {
    @Autowired
    DataSource caseStore;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Leadership applicationLeadership;

    @Test
    void oneLeadsAtATimeAndTheOtherTakesOverWhenTheLeadersConnectionDies() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        // each contender on connections of its own, as two instances would be
        String url;
        try (java.sql.Connection c = caseStore.getConnection()) {
            url = c.getMetaData().getURL();
        }
        DataSource own = new org.springframework.jdbc.datasource.DriverManagerDataSource(url, "postgres", "");
        try (Leadership first = new Leadership(own, 200); Leadership second = new Leadership(own, 200)) {
            first.join("test-role", listener("first", heard));
            await(() -> first.isLeader("test-role"));
            second.join("test-role", listener("second", heard));
            Thread.sleep(600);
            assertThat(second.isLeader("test-role")).as("the lock is held").isFalse();
            assertThat(second.status()).containsEntry("test-role", "standby");

            // the first instance dies: its process is gone and the database ends its session
            terminateHolderOf("test-role");
            first.close();
            await(() -> second.isLeader("test-role"));
            assertThat(heard).containsSubsequence("first elected", "second elected");

            // a leader cut off from the database steps down at its next check (and may win again once it is back)
            terminateHolderOf("test-role");
            await(() -> heard.contains("second deposed"));
            await(() -> second.isLeader("test-role"));
        }
        assertThat(applicationLeadership.status()).as("this application reads the mailbox").containsEntry("mail-intake", "leader");
    }

    private void terminateHolderOf(String role) {
        Long pid = jdbc.queryForObject("select pid from pg_locks where locktype = 'advisory' and granted "
                + "and ((classid::bigint << 32) | objid::bigint) = ?", Long.class, Leadership.key(role));
        assertThat(jdbc.queryForObject("select pg_terminate_backend(?::int)", Boolean.class, pid)).isTrue();
    }

    private static Leadership.Listener listener(String name, List<String> heard) {
        return new Leadership.Listener() {
            @Override
            public void elected(String role) {
                heard.add(name + " elected");
            }

            @Override
            public void deposed(String role) {
                heard.add(name + " deposed");
            }
        };
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofSeconds(15));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("not within 15 s");
            }
            Thread.sleep(50);
        }
    }
}
