package org.dsrflow.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
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
    private static final long CHAIN_LOCK = 0x64737266L;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    public AuditLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Appends inside the caller's transaction, so the event and the change it records commit
     * together. The first append of a transaction takes the chain's lock and reads the last row;
     * the lock is held until the transaction ends, so later appends of the same transaction link to
     * the row it wrote last without asking again.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public AuditEntry append(String caseId, String actor, String action, Map<String, ?> detail) {
        ChainHead head = heldHead();
        if (head == null) {
            // takes the lock, then reads the last row with a snapshot taken after it (V15__audit_chain_head.sql)
            List<Map<String, Object>> last = jdbc.queryForList("select seq, hash from audit_chain_head(?)", CHAIN_LOCK);
            head = last.isEmpty() ? new ChainHead(this, 0, GENESIS)
                    : new ChainHead(this, ((Number) last.get(0).get("seq")).longValue(), (String) last.get(0).get("hash"));
            if (TransactionSynchronizationManager.isSynchronizationActive()) {
                TransactionSynchronizationManager.registerSynchronization(head);
            }
        }
        long seq = head.seq + 1;
        String prevHash = head.hash;
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String detailJson = toJson(detail);
        String hash = hash(seq, caseId, at, actor, action, detailJson, prevHash);
        jdbc.update("insert into audit_log (seq, case_id, at, actor, action, detail, prev_hash, hash) values (?,?,?,?,?,?,?,?)",
                seq, caseId, Timestamp.from(at), actor, action, detailJson, prevHash, hash);
        head.seq = seq;
        head.hash = hash;
        return new AuditEntry(seq, caseId, at, actor, action, detailJson, prevHash, hash);
    }

    /**
     * The chain's last row as this transaction wrote it, while it holds the lock. Kept as one of the
     * transaction's synchronizations, so it ends with the transaction (commit or rollback) and a
     * transaction started inside another (REQUIRES_NEW) does not see it.
     */
    private ChainHead heldHead() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        for (TransactionSynchronization s : TransactionSynchronizationManager.getSynchronizations()) {
            if (s instanceof ChainHead h && h.log == this) {
                return h;
            }
        }
        return null;
    }

    private static final class ChainHead implements TransactionSynchronization {
        private final AuditLog log;
        private long seq;
        private String hash;

        private ChainHead(AuditLog log, long seq, String hash) {
            this.log = log;
            this.seq = seq;
            this.hash = hash;
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
