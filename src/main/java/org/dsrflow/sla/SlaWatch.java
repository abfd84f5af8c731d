package org.dsrflow.sla;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dsrflow.audit.AuditLog;
import org.dsrflow.cases.CaseStore;
import org.dsrflow.cases.DsrCase;
import org.dsrflow.outbox.Outbox;
import org.dsrflow.reply.MailComposer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The deadline watch: a periodic sweep that finds open cases at each configured point (so many
 * days left, or overdue) and tells the point's audience, by mail and as a Kafka event, once per
 * case, point and due date. One instance sweeps at a time (a transaction-scoped advisory lock;
 * the others skip that round), and the notice row, the mail and the event are written in one
 * transaction, so a crash sends everything or nothing.
 */
@Component("slaWatch")
public class SlaWatch {
    private static final Logger log = LoggerFactory.getLogger(SlaWatch.class);
    /** An arbitrary constant naming the sweep's lock. */
    private static final long SWEEP_LOCK = 0x5_1a_5ee9L;
    private static final int BATCH = 500;

    private final SlaSettings settings;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final CaseStore cases;
    private final Outbox outbox;
    private final MailComposer mails;
    private final AuditLog audit;

    SlaWatch(SlaSettings settings, JdbcTemplate jdbc, TransactionTemplate tx, CaseStore cases, Outbox outbox, MailComposer mails,
             AuditLog audit) {
        this.settings = settings;
        this.jdbc = jdbc;
        this.tx = tx;
        this.cases = cases;
        this.outbox = outbox;
        this.mails = mails;
        this.audit = audit;
    }

    /** One round: returns the notices sent (0 when another instance holds the sweep). */
    public int sweep() {
        Integer sent = tx.execute(s -> {
            if (!Boolean.TRUE.equals(jdbc.queryForObject("select pg_try_advisory_xact_lock(?)", Boolean.class, SWEEP_LOCK))) {
                return 0;
            }
            Instant now = Instant.now();
            int n = 0;
            for (SlaSettings.Point point : settings.points()) {
                // the batch's cases and their outstanding systems in two queries, not two per case
                List<String> reached = reached(point, now);
                Map<String, DsrCase> found = cases.getAll(reached);
                Map<String, List<String>> waiting = waitingOn(reached);
                for (String caseId : reached) {
                    if (notifyOnce(found.get(caseId), point, now, waiting.getOrDefault(caseId, List.of()))) {
                        n++;
                    }
                }
            }
            return n;
        });
        if (sent != null && sent > 0) {
            log.info("Deadline watch sent {} notices", sent);
        }
        return sent == null ? 0 : sent;
    }

    /**
     * Open cases whose time left has fallen to the point and that have had no notice for it at this due date.
     * The closed states are listed as in the partial index dsr_case_open_due_idx (V14): change both together.
     */
    private List<String> reached(SlaSettings.Point point, Instant now) {
        return jdbc.queryForList("select c.id from dsr_case c where c.due_at is not null "
                        + "and c.state not in ('FULFILLED','REPLIED','REJECTED','DUPLICATE','WITHDRAWN') and c.due_at <= ? "
                        + "and not exists (select 1 from sla_notice n where n.case_id = c.id and n.point = ? and n.due_at = c.due_at) "
                        + "order by c.due_at limit ?",
                String.class, Timestamp.from(now.plus(point.beforeDue())), point.name(), BATCH);
    }

    /**
     * Sends one notice unless this case already had it for its current due date; true when sent.
     * Must run inside a transaction: the notice row, mail, event and audit entry commit together.
     */
    boolean notifyOnce(DsrCase c, SlaSettings.Point point, Instant now) {
        return notifyOnce(c, point, now, waitingOn(List.of(c.id())).getOrDefault(c.id(), List.of()));
    }

    private boolean notifyOnce(DsrCase c, SlaSettings.Point point, Instant now, List<String> waitingOn) {
        int fresh = jdbc.update("insert into sla_notice (case_id, point, due_at, sent_at) values (?,?,?,?) on conflict do nothing",
                c.id(), point.name(), Timestamp.from(c.dueAt()), Timestamp.from(now));
        if (fresh == 0) {
            return false;
        }
        notify(c, point, now, waitingOn);
        return true;
    }

    /** The systems each case still waits on, by name. */
    private Map<String, List<String>> waitingOn(List<String> caseIds) {
        Map<String, List<String>> systems = new HashMap<>();
        if (!caseIds.isEmpty()) {
            jdbc.query("select case_id, system from connector_task where case_id = any(?) "
                            + "and state not in ('DONE','NOT_FOUND','RETAINED') order by case_id, system",
                    rs -> {
                        systems.computeIfAbsent(rs.getString("case_id"), id -> new ArrayList<>()).add(rs.getString("system"));
                    }, (Object) caseIds.toArray(new String[0]));
        }
        return systems;
    }

    private void notify(DsrCase c, SlaSettings.Point point, Instant now, List<String> waitingOn) {
        Duration left = Duration.between(now, c.dueAt());
        outbox.enqueueMail(c.id(), mails.slaNotice(settings.recipients().get(point.audience()), c, point.name(), left, waitingOn));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", 1);
        event.put("event", "sla.notice");
        event.put("caseId", c.id());
        event.put("point", point.name());
        event.put("audience", point.audience());
        event.put("state", c.state().name());
        event.put("dueAt", c.dueAt().toString());
        event.put("overdue", left.isNegative() || left.isZero());
        event.put("at", now.toString());
        outbox.enqueueEvent(c.id(), event);
        audit.append(c.id(), "sla", "sla.notice", Map.of("point", point.name(), "audience", point.audience()));
    }
}
