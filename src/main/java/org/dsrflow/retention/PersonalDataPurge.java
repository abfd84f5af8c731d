package org.dsrflow.retention;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dsrflow.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Removes dsrflow's own copies of personal data once they are no longer needed. For a case closed
 * longer than {@code closed-cases} ago: the addresses on the case and its manual tasks become
 * {@code redacted}, the mail thread's ids and the account id go, the bodies of its sent mails go
 * (the outbox keeps that a mail was sent, and when), and its verification and clarification rows
 * are deleted. The states, dates and counts stay, for the dashboard and the regulator report; the
 * audit log keeps its entries (they hold no subject's address) and gains one saying what was purged.
 * Quarantined messages and inbound-message keys are deleted after their own periods. Export
 * packages and staged records are purged sooner by their own routes.
 */
@Component("personalDataPurge")
public class PersonalDataPurge {
    static final String REDACTED = "redacted";
    private static final Logger log = LoggerFactory.getLogger(PersonalDataPurge.class);
    private static final int BATCH = 100;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final AuditLog audit;
    private final RetentionSettings settings;

    PersonalDataPurge(JdbcTemplate jdbc, TransactionTemplate tx, AuditLog audit, RetentionSettings settings) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.audit = audit;
        this.settings = settings;
    }

    /** One sweep; returns how many cases were redacted. Several instances may run it: cases are claimed with SKIP LOCKED. */
    public int purge() {
        Instant now = Instant.now();
        int cases = 0;
        while (true) {
            Integer done = tx.execute(s -> redactBatch(now));
            cases += done == null ? 0 : done;
            if (done == null || done < BATCH) {
                break;
            }
        }
        int quarantined = jdbc.update("delete from quarantine where received_at < ?", Timestamp.from(now.minus(settings.quarantine())));
        int keys = jdbc.update("delete from inbound_message where first_seen < ?", Timestamp.from(now.minus(settings.inboundKeys())));
        if (cases + quarantined + keys > 0) {
            log.info("Retention: {} closed cases redacted, {} quarantined items and {} inbound keys deleted", cases, quarantined, keys);
        }
        return cases;
    }

    private int redactBatch(Instant now) {
        List<String> ids = jdbc.queryForList("select id from dsr_case where redacted_at is null and closed_at is not null and closed_at < ? "
                + "order by closed_at limit ? for update skip locked", String.class, Timestamp.from(now.minus(settings.closedCases())), BATCH);
        for (String id : ids) {
            Map<String, Object> detail = new LinkedHashMap<>();
            jdbc.update("update dsr_case set subject_email = ?, requester_email = ?, agent_email = null, thread_message_id = null, "
                    + "thread_references = null, account_id = null, redacted_at = ? where id = ?", REDACTED, REDACTED, Timestamp.from(now), id);
            detail.put("mails", jdbc.update("update outbox set payload = '{\"redacted\":true}' where case_id = ? and sent_at is not null "
                    + "and payload <> '{\"redacted\":true}'", id));
            detail.put("requests", jdbc.update("update case_request set agent_email = null, source_ref = null where case_id = ?", id));
            detail.put("verification", jdbc.update("delete from verification where case_id = ?", id)
                    + jdbc.update("delete from clarification where case_id = ?", id));
            detail.put("manualTasks", jdbc.update("update manual_task set subject_email = ? where case_id = ?", REDACTED, id));
            detail.put("after", settings.closedCases().toString());
            audit.append(id, "retention", "case.redacted", detail);
        }
        return ids.size();
    }
}
