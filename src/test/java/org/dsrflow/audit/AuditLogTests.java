package org.dsrflow.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.dsrflow.support.EmbeddedStackTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

class AuditLogTests extends EmbeddedStackTest {
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
    void appendsOfOneTransactionLinkToEachOtherWhileOthersWaitTheirTurn() throws Exception {
        TransactionTemplate inner = new TransactionTemplate(java.util.Objects.requireNonNull(tx.getTransactionManager()));
        inner.setPropagationBehavior(org.springframework.transaction.TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            AuditEntry[] outer = new AuditEntry[3];
            java.util.concurrent.Future<AuditEntry> fromInner = tx.execute(s -> {
                outer[0] = audit.append(null, "test", "test.outer", Map.of("step", 0));
                outer[1] = audit.append(null, "test", "test.outer", Map.of("step", 1));
                // a transaction of its own on another thread needs the chain's lock, held by this one
                java.util.concurrent.Future<AuditEntry> f = other.submit(() -> inner.execute(i -> audit.append(null, "test", "test.inner", Map.of())));
                // let it wait for the lock, so that what it reads once it has the lock is what this one commits
                long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() < until && jdbc.queryForObject(
                        "select count(*) from pg_locks where locktype = 'advisory' and not granted", Long.class) == 0) {
                    Thread.onSpinWait();
                }
                outer[2] = audit.append(null, "test", "test.outer", Map.of("step", 2));
                return f;
            });
            assertThat(outer[1].seq()).isEqualTo(outer[0].seq() + 1);
            assertThat(outer[1].prevHash()).isEqualTo(outer[0].hash());
            assertThat(outer[2].prevHash()).isEqualTo(outer[1].hash());
            AuditEntry innerEntry = fromInner.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(innerEntry.seq()).isGreaterThan(outer[2].seq());

            // a transaction that appended and rolled back leaves no head behind
            AuditEntry rolledBack = tx.execute(s -> {
                AuditEntry e = audit.append(null, "test", "test.rolled-back", Map.of());
                s.setRollbackOnly();
                return e;
            });
            // the rolled-back transaction's head is gone with it: the next append links to what is stored
            AuditEntry next = tx.execute(s -> audit.append(null, "test", "test.after", Map.of()));
            String stored = jdbc.queryForObject("select hash from audit_log where seq = ?", String.class, next.seq() - 1);
            assertThat(next.prevHash()).isEqualTo(stored).isNotEqualTo(rolledBack.hash());
            assertThat(audit.verify().intact()).isTrue();
        } finally {
            other.shutdownNow();
        }
    }

    private long[] appendThree() {
        long[] seqs = new long[3];
        for (int i = 0; i < 3; i++) {
            int step = i;
            seqs[i] = tx.execute(s -> audit.append(null, "test", "test.event", Map.of("step", step))).seq();
        }
        return seqs;
    }
}
