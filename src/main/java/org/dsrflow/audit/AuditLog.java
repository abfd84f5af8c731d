package org.dsrflow.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The append-only, hash-chained audit log. Each row carries the hash of the row before it, so
 * changing or deleting any row breaks every hash after it; {@link #verify()} finds the first break.
 * Details hold case ids, states, system names and counts — never a subject's address or name.
 */
@Component
public class AuditLog {
    static final String GENESIS = "0".repeat(64);
    // An arbitrary constant: every append takes this transaction-scoped lock so the chain stays linear.
    static final long CHAIN_LOCK = 0x64737266L;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    public AuditLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Appends inside the caller's transaction, so the event and the change it records commit
     * together (or neither does). The entry is written when the transaction commits, with every
     * other entry of that transaction, in one call that takes the chain's lock, links and hashes
     * them in order (V16__audit_append_at_commit.sql): the lock is held for that call and the
     * commit only. An entry's {@code at} is when it was appended; its place in the chain is the
     * order in which transactions committed.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void append(String caseId, String actor, String action, Map<String, ?> detail) {
        Pending entry = new Pending(caseId, Instant.now().truncatedTo(ChronoUnit.MICROS).toString(), actor, action, toJson(detail));
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            write(List.of(entry));
            return;
        }
        Batch batch = batchOfThisTransaction();
        if (batch != null && batch.written) {
            // appended from another synchronization after this transaction's entries were written: the
            // lock is held already, so this one is written at once
            write(List.of(entry));
            return;
        }
        if (batch == null) {
            batch = new Batch(this);
            TransactionSynchronizationManager.registerSynchronization(batch);
        }
        batch.entries.add(entry);
    }

    /**
     * A change and its audit entry as one statement. {@code change} is an {@code insert},
     * {@code update} or {@code delete} with a {@code returning} clause; the entry is appended once
     * for each row it returns, so a change that touched nothing appends nothing. Returns how many rows
     * it touched.
     * <p>
     * Called outside a transaction, the statement is a transaction of its own: one round trip where a
     * transaction holding the change and {@link #append} takes three (the change, the entry, the
     * commit), and the chain's lock is held only while PostgreSQL runs the statement and commits it,
     * never across a round trip. Inside a transaction it is the change followed by {@link #append}, so
     * the entry is written with the transaction's others when it commits.
     */
    public int changeAndAppend(String change, Object[] args, String caseId, String actor, String action, Map<String, ?> detail) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            int changed = jdbc.query(change, rs -> {
                int rows = 0;
                while (rs.next()) {
                    rows++;
                }
                return rows;
            }, args);
            if (changed > 0) {
                append(caseId, actor, action, detail);
            }
            return changed;
        }
        Pending entry = new Pending(caseId, Instant.now().truncatedTo(ChronoUnit.MICROS).toString(), actor, action, toJson(detail));
        Object[] all = java.util.Arrays.copyOf(args, args.length + 6);
        all[args.length] = CHAIN_LOCK;
        all[args.length + 1] = entry.caseId();
        all[args.length + 2] = entry.at();
        all[args.length + 3] = entry.actor();
        all[args.length + 4] = entry.action();
        all[args.length + 5] = entry.detail();
        // the entry's values are repeated once per changed row: none, and the function appends nothing
        return jdbc.queryForObject("with changed as (" + change + "), "
                + "entry as (select entry_seq from audit_append(?, array(select cast(? as varchar) from changed), "
                + "array(select cast(? as text) from changed), array(select cast(? as varchar) from changed), "
                + "array(select cast(? as varchar) from changed), array(select cast(? as text) from changed))) "
                + "select (select count(*) from changed), (select count(*) from entry)", (rs, i) -> rs.getInt(1), all);
    }

    private record Pending(String caseId, String at, String actor, String action, String detail) {
    }

    /** Links, hashes and stores entries after the chain's last row, in one round trip; holds the chain's lock until the commit. */
    private void write(List<Pending> entries) {
        jdbc.query("select entry_seq from audit_append(?, ?, ?, ?, ?, ?)", ps -> {
            ps.setLong(1, CHAIN_LOCK);
            java.sql.Connection c = ps.getConnection();
            ps.setArray(2, c.createArrayOf("varchar", entries.stream().map(Pending::caseId).toArray()));
            ps.setArray(3, c.createArrayOf("text", entries.stream().map(Pending::at).toArray()));
            ps.setArray(4, c.createArrayOf("varchar", entries.stream().map(Pending::actor).toArray()));
            ps.setArray(5, c.createArrayOf("varchar", entries.stream().map(Pending::action).toArray()));
            ps.setArray(6, c.createArrayOf("text", entries.stream().map(Pending::detail).toArray()));
        }, rs -> {
        });
    }

    /**
     * The entries this transaction appended so far. Kept as one of the transaction's
     * synchronizations, so they are written just before it commits and dropped if it rolls back;
     * a transaction started inside another (REQUIRES_NEW) has its own.
     */
    private Batch batchOfThisTransaction() {
        for (TransactionSynchronization s : TransactionSynchronizationManager.getSynchronizations()) {
            if (s instanceof Batch b && b.log == this) {
                return b;
            }
        }
        return null;
    }

    private static final class Batch implements TransactionSynchronization {
        private final AuditLog log;
        private final List<Pending> entries = new java.util.ArrayList<>();
        private boolean written;

        private Batch(AuditLog log) {
            this.log = log;
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            log.write(entries);
            written = true;
        }
    }

    /** Walks the whole chain in order; reports the first row whose link or content does not hold. */
    @Transactional(readOnly = true)
    public ChainVerification verify() {
        long[] checked = {0};
        String[] expectedPrev = {GENESIS};
        Long[] broken = {null};
        String[] why = {null};
        jdbc.query("select seq, case_id, at, actor, action, detail, prev_hash, hash from audit_log order by seq", rs -> {
            if (broken[0] != null) {
                return;
            }
            long seq = rs.getLong("seq");
            String prev = rs.getString("prev_hash");
            String recomputed = hash(seq, rs.getString("case_id"), rs.getTimestamp("at").toInstant(), rs.getString("actor"),
                    rs.getString("action"), rs.getString("detail"), prev);
            if (seq != checked[0] + 1) {
                broken[0] = seq;
                why[0] = "row " + (checked[0] + 1) + " is missing";
            } else if (!prev.equals(expectedPrev[0])) {
                broken[0] = seq;
                why[0] = "previous-hash link does not match row " + (seq - 1);
            } else if (!recomputed.equals(rs.getString("hash"))) {
                broken[0] = seq;
                why[0] = "content does not match its hash";
            } else {
                checked[0] = seq;
                expectedPrev[0] = rs.getString("hash");
            }
        });
        return new ChainVerification(broken[0] == null, checked[0], broken[0], why[0]);
    }

    static String hash(long seq, String caseId, Instant at, String actor, String action, String detail, String prevHash) {
        String canonical = String.join("\u001f", Long.toString(seq), caseId == null ? "" : caseId,
                at.truncatedTo(ChronoUnit.MICROS).toString(), actor, action, detail, prevHash);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String toJson(Map<String, ?> detail) {
        try {
            return json.writeValueAsString(detail == null ? Map.of() : detail);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit detail is not serialisable", e);
        }
    }
}
