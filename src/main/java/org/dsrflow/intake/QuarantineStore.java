package org.dsrflow.intake;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.dsrflow.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Where inbound items that cannot be read or trusted go instead of being dropped: the reason,
 * a fingerprint and (up to {@link #MAX_KEPT_BYTES}) the content, for a person to look at. Each
 * entry is also an audit event, without the content.
 */
@Component("quarantine")
public class QuarantineStore {
    public static final int MAX_KEPT_BYTES = 256 * 1024;
    private static final Logger log = LoggerFactory.getLogger(QuarantineStore.class);

    private final JdbcTemplate jdbc;
    private final AuditLog audit;

    QuarantineStore(JdbcTemplate jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    @Transactional
    public long put(String channel, String source, String externalKey, String reason, long size, byte[] content) {
        String safeReason = reason.length() > 500 ? reason.substring(0, 500) : reason;
        String key = externalKey == null || externalKey.length() <= 1000 ? externalKey : externalKey.substring(0, 1000);
        byte[] kept = content != null && content.length <= MAX_KEPT_BYTES ? content : null;
        Long id = jdbc.queryForObject("insert into quarantine (channel, source, external_key, reason, received_at, size_bytes, sha256, content) "
                        + "values (?,?,?,?,?,?,?,?) returning id", Long.class,
                channel, source, key, safeReason, Timestamp.from(Instant.now()), size,
                content == null ? null : org.dsrflow.intake.mail.Fingerprint.sha256(content), kept);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("quarantine", id);
        detail.put("channel", channel);
        if (source != null) {
            detail.put("source", source);
        }
        detail.put("reason", safeReason);
        audit.append(null, "intake:" + channel.toLowerCase(java.util.Locale.ROOT), "intake.quarantined", detail);
        log.warn("Quarantined {} item {}: {}", channel, id, org.dsrflow.LogSafe.redact(safeReason));
        return id;
    }

    public long count(String channel) {
        Long n = jdbc.queryForObject("select count(*) from quarantine where channel = ?", Long.class, channel);
        return n == null ? 0 : n;
    }
}
