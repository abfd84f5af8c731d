package org.dsrflow.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.dsrflow.support.EmbeddedStackTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

class AuditLogTests extends EmbeddedStackTest {
    private final java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();

    @Autowired
    AuditLog audit;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate tx;

    @Test
    void anUntouchedChainVerifies() {
        appendThree();
        ChainVerification result = audit.verify();
        assertThat(result.intact()).isTrue();
        assertThat(result.rowsChecked()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void eachKindOfTamperingIsFoundAtTheRowWhereItHappened() {
        long[] seqs = appendThree();
        long middle = seqs[1];
        String original = jdbc.queryForObject("select detail from audit_log where seq = ?", String.class, middle);
        try {
            jdbc.update("update audit_log set detail = ? where seq = ?", "{\"step\":\"forged\"}", middle);
            assertThat(audit.verify()).extracting(ChainVerification::intact, ChainVerification::firstBrokenSeq,
                    ChainVerification::problem).containsExactly(false, middle, "content does not match its hash");
        } finally {
            jdbc.update("update audit_log set detail = ? where seq = ?", original, middle);
        }
        assertThat(audit.verify().intact()).isTrue();

        // Rewriting a row and its own hash still breaks the link held by the next row (which may be
        // another thread's: the application appends in the background while this test runs).
        Map<String, Object> row = jdbc.queryForMap("select * from audit_log where seq = ?", middle);
        String forgedHash = AuditLog.hash(middle, (String) row.get("case_id"), ((java.sql.Timestamp) row.get("at")).toInstant(),
                (String) row.get("actor"), (String) row.get("action"), "{}", (String) row.get("prev_hash"));
        String realHash = (String) row.get("hash");
        try {
            jdbc.update("update audit_log set detail = '{}', hash = ? where seq = ?", forgedHash, middle);
            assertThat(audit.verify()).extracting(ChainVerification::intact, ChainVerification::firstBrokenSeq)
                    .containsExactly(false, middle + 1);
        } finally {
            jdbc.update("update audit_log set detail = ?, hash = ? where seq = ?", original, realHash, middle);
        }
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void aDeletedRowIsFound() {
        long[] seqs = appendThree();
        Map<String, Object> row = jdbc.queryForMap("select * from audit_log where seq = ?", seqs[1]);
        jdbc.update("delete from audit_log where seq = ?", seqs[1]);
        try {
            ChainVerification result = audit.verify();
            assertThat(result.intact()).isFalse();
            assertThat(result.firstBrokenSeq()).isEqualTo(seqs[1] + 1);
            assertThat(result.problem()).isEqualTo("row " + seqs[1] + " is missing");
        } finally {
            jdbc.update("insert into audit_log (seq, case_id, at, actor, action, detail, prev_hash, hash) values (?,?,?,?,?,?,?,?)",
                    row.get("seq"), row.get("case_id"), row.get("at"), row.get("actor"), row.get("action"), row.get("detail"),
                    row.get("prev_hash"), row.get("hash"));
        }
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void aTransactionsEntriesAreWrittenTogetherAtCommitAfterWhatCommittedMeanwhile() throws Exception {
        TransactionTemplate inner = transactionOfItsOwn();
        String run = java.util.UUID.randomUUID().toString();
        try {
            tx.executeWithoutResult(s -> {
                for (int step = 0; step < 3; step++) {
                    audit.append(null, "test", "test.outer", Map.of("run", run, "step", step));
                }
                // nothing is written before the commit, so the chain's lock is not held yet
                assertThat(jdbc.queryForObject("select count(*) from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()",
                        Long.class)).isZero();
                // another transaction, on another thread, appends and commits meanwhile without waiting
                try {
                    other.submit(() -> inner.executeWithoutResult(i -> audit.append(null, "test", "test.inner", Map.of("run", run))))
                            .get(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            List<Map<String, Object>> outer = rowsOf(run, "test.outer");
            assertThat(outer).extracting(r -> r.get("detail")).containsExactly(
                    "{\"run\":\"" + run + "\",\"step\":0}", "{\"run\":\"" + run + "\",\"step\":1}", "{\"run\":\"" + run + "\",\"step\":2}");
            long first = (Long) outer.get(0).get("seq");
            // one transaction's entries are consecutive and linked to each other
            assertThat(outer).extracting(r -> r.get("seq")).containsExactly(first, first + 1, first + 2);
            assertThat(outer.get(1).get("prev_hash")).isEqualTo(outer.get(0).get("hash"));
            assertThat(outer.get(2).get("prev_hash")).isEqualTo(outer.get(1).get("hash"));
            // the transaction that committed first comes first in the chain
            assertThat((Long) rowsOf(run, "test.inner").get(0).get("seq")).isLessThan(first);

            // a transaction that appended and rolled back leaves nothing behind
            tx.executeWithoutResult(s -> {
                audit.append(null, "test", "test.rolled-back", Map.of("run", run));
                s.setRollbackOnly();
            });
            assertThat(rowsOf(run, "test.rolled-back")).isEmpty();
            assertThat(audit.verify().intact()).isTrue();
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aTransactionWaitingForTheChainsLockLinksToTheRowItsHolderCommitted() throws Exception {
        TransactionTemplate inner = transactionOfItsOwn();
        String run = java.util.UUID.randomUUID().toString();
        try {
            java.util.concurrent.Future<?> waiting = tx.execute(s -> {
                // this transaction holds the chain's lock, as one does while it writes its entries and commits
                jdbc.query("select pg_advisory_xact_lock(?)", rs -> null, AuditLog.CHAIN_LOCK);
                audit.append(null, "test", "test.holder", Map.of("run", run));
                java.util.concurrent.Future<?> f = other.submit(() -> inner.executeWithoutResult(
                        i -> audit.append(null, "test", "test.waiter", Map.of("run", run))));
                long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() < until && jdbc.queryForObject(
                        "select count(*) from pg_locks where locktype = 'advisory' and not granted", Long.class) == 0) {
                    Thread.onSpinWait();
                }
                assertThat(f).isNotDone();
                return f;
            });
            // had the waiter read the chain's last row before it got the lock, it would reuse the holder's
            // sequence number and fail on the primary key, or fork the chain
            waiting.get(30, java.util.concurrent.TimeUnit.SECONDS);
            long holder = (Long) rowsOf(run, "test.holder").get(0).get("seq");
            Map<String, Object> waiter = rowsOf(run, "test.waiter").get(0);
            assertThat((Long) waiter.get("seq")).isGreaterThan(holder);
            assertThat(audit.verify().intact()).isTrue();
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void entriesOfThePreviousVersionAndOfThisOneFormOneChain() {
        String run = java.util.UUID.randomUUID().toString();
        // as the previous version appends (during a rolling upgrade): the lock and the last row from
        // V15's function, then the linked row written by the application
        tx.executeWithoutResult(s -> {
            List<Map<String, Object>> head = jdbc.queryForList("select seq, hash from audit_chain_head(?)", AuditLog.CHAIN_LOCK);
            long seq = head.isEmpty() ? 1 : ((Number) head.get(0).get("seq")).longValue() + 1;
            String prev = head.isEmpty() ? AuditLog.GENESIS : (String) head.get(0).get("hash");
            java.time.Instant at = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
            String detail = "{\"run\":\"" + run + "\"}";
            jdbc.update("insert into audit_log (seq, case_id, at, actor, action, detail, prev_hash, hash) values (?,?,?,?,?,?,?,?)",
                    seq, null, java.sql.Timestamp.from(at), "test", "test.previous-version", detail, prev,
                    AuditLog.hash(seq, null, at, "test", "test.previous-version", detail, prev));
        });
        tx.executeWithoutResult(s -> audit.append(null, "test", "test.this-version", Map.of("run", run)));
        long previous = (Long) rowsOf(run, "test.previous-version").get(0).get("seq");
        assertThat((Long) rowsOf(run, "test.this-version").get(0).get("seq")).isGreaterThan(previous);
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void anEntryAppendedAfterTheTransactionsEntriesWereWrittenIsNotLost() {
        String run = java.util.UUID.randomUUID().toString();
        tx.executeWithoutResult(s -> {
            audit.append(null, "test", "test.first", Map.of("run", run));
            // another synchronization, run after the audit log's own has written the entries
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void beforeCommit(boolean readOnly) {
                            audit.append(null, "test", "test.late", Map.of("run", run));
                        }
                    });
        });
        long first = (Long) rowsOf(run, "test.first").get(0).get("seq");
        assertThat(rowsOf(run, "test.late")).extracting(r -> r.get("seq")).containsExactly(first + 1);
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void theDatabasesHashIsTheOneTheApplicationRecomputes() {
        String run = java.util.UUID.randomUUID().toString();
        Map<String, Object> detail = new java.util.LinkedHashMap<>();
        detail.put("run", run);
        detail.put("note", "删除请求 \"quoted\" \\ tab\t emoji \uD83D\uDD12");
        tx.executeWithoutResult(s -> {
            audit.append("01JTESTCASE000000000000000", "operator:小王", "test.hash", detail);
            audit.append(null, "test", "test.hash", Map.of("run", run));
        });
        List<Map<String, Object>> rows = rowsOf(run, "test.hash");
        assertThat(rows).hasSize(2);
        for (Map<String, Object> r : rows) {
            String recomputed = AuditLog.hash((Long) r.get("seq"), (String) r.get("case_id"), ((java.sql.Timestamp) r.get("at")).toInstant(),
                    (String) r.get("actor"), (String) r.get("action"), (String) r.get("detail"), (String) r.get("prev_hash"));
            assertThat(r.get("hash")).isEqualTo(recomputed);
        }
    }

    @Test
    void aChangeAndItsEntryAreOneStatementThatKeepsBothOrNeither() {
        String run = java.util.UUID.randomUUID().toString();
        String[] ids = {run + "-a", run + "-b"};
        jdbc.execute("create table if not exists audited_change (id varchar(60) primary key, state varchar(20) not null)");
        for (String id : ids) {
            jdbc.update("insert into audited_change (id, state) values (?, 'open')", id);
        }
        String close = "update audited_change set state = 'closed' where id = ? and state = 'open' returning id";

        assertThat(audit.changeAndAppend(close, new Object[] {ids[0]}, null, "test", "test.change", Map.of("run", run))).isEqualTo(1);
        assertThat(rowsOf(run, "test.change")).hasSize(1);
        // nothing left to change: nothing appended
        assertThat(audit.changeAndAppend(close, new Object[] {ids[0]}, null, "test", "test.change", Map.of("run", run))).isZero();
        assertThat(rowsOf(run, "test.change")).hasSize(1);
        // an entry per row the change touched
        assertThat(audit.changeAndAppend("update audited_change set state = 'archived' where id like ? returning id",
                new Object[] {run + "-%"}, null, "test", "test.change-both", Map.of("run", run))).isEqualTo(2);
        assertThat(rowsOf(run, "test.change-both")).hasSize(2);

        // an entry that cannot be stored (an actor longer than its column) takes the change with it: one statement
        assertThatThrownBy(() -> audit.changeAndAppend("update audited_change set state = 'lost' where id = ? returning id",
                new Object[] {ids[0]}, null, "x".repeat(65), "test.change", Map.of("run", run)))
                .isInstanceOf(org.springframework.dao.DataAccessException.class);
        assertThat(jdbc.queryForObject("select state from audited_change where id = ?", String.class, ids[0])).isEqualTo("archived");

        // inside a transaction the entry waits for the commit, and a rollback takes both
        tx.executeWithoutResult(s -> {
            assertThat(audit.changeAndAppend("update audited_change set state = 'reopened' where id = ? returning id",
                    new Object[] {ids[1]}, null, "test", "test.change-rolled-back", Map.of("run", run))).isEqualTo(1);
            assertThat(jdbc.queryForObject("select count(*) from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()",
                    Long.class)).isZero();
            s.setRollbackOnly();
        });
        assertThat(jdbc.queryForObject("select state from audited_change where id = ?", String.class, ids[1])).isEqualTo("archived");
        assertThat(rowsOf(run, "test.change-rolled-back")).isEmpty();
        assertThat(audit.verify().intact()).isTrue();
    }

    /** A transaction of its own, for another thread ({@link #other}) to run beside the test's. */
    private TransactionTemplate transactionOfItsOwn() {
        TransactionTemplate inner = new TransactionTemplate(java.util.Objects.requireNonNull(tx.getTransactionManager()));
        inner.setPropagationBehavior(org.springframework.transaction.TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        return inner;
    }

    private List<Map<String, Object>> rowsOf(String run, String action) {
        return jdbc.queryForList("select seq, case_id, at, actor, action, detail, prev_hash, hash from audit_log "
                + "where action = ? and detail like ? order by seq", action, "%" + run + "%");
    }

    private long[] appendThree() {
        String run = java.util.UUID.randomUUID().toString();
        for (int i = 0; i < 3; i++) {
            int step = i;
            tx.executeWithoutResult(s -> audit.append(null, "test", "test.event", Map.of("run", run, "step", step)));
        }
        return rowsOf(run, "test.event").stream().mapToLong(r -> (Long) r.get("seq")).toArray();
    }
}
