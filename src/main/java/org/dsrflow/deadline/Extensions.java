package org.dsrflow.deadline;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.dsrflow.audit.AuditLog;
import org.dsrflow.cases.CaseNotFoundException;
import org.dsrflow.cases.CaseStore;
import org.dsrflow.cases.DsrCase;
import org.dsrflow.outbox.Outbox;
import org.dsrflow.outbox.OutgoingMail;
import org.dsrflow.reply.MailComposer;
import org.dsrflow.ApiRefusal;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Extends a case's deadline as far as its policy allows, with a reason. The extension, the new due
 * date, the audit row and the notice to the requester commit together.
 */
@Service
public class Extensions {
    private final JdbcTemplate jdbc;
    private final CaseStore cases;
    private final Deadlines deadlines;
    private final AuditLog audit;
    private final Outbox outbox;
    private final MailComposer mails;

    Extensions(JdbcTemplate jdbc, CaseStore cases, Deadlines deadlines, AuditLog audit, Outbox outbox, MailComposer mails) {
        this.jdbc = jdbc;
        this.cases = cases;
        this.deadlines = deadlines;
        this.audit = audit;
        this.outbox = outbox;
        this.mails = mails;
    }

    /**
     * @param unit the policy's extension unit if null
     */
    @Transactional
    public DsrCase extend(String caseId, int amount, DayCount unit, String reason, String actor) {
        if (jdbc.queryForList("select id from dsr_case where id = ? for update", String.class, caseId).isEmpty()) {
            throw new CaseNotFoundException(caseId);
        }
        DsrCase c = cases.get(caseId);
        if (reason == null || reason.isBlank() || reason.length() > 1000 || reason.chars().anyMatch(ch -> ch < 0x20 && ch != '\n')) {
            throw new ApiRefusal(400, "validation_failed", "Give the reason for the extension (at most 1,000 characters); it is sent to the requester.");
        }
        if (!c.isOpen()) {
            throw new ApiRefusal(409, "closed", "This request is closed; its deadline cannot change.");
        }
        if (c.dueAt() == null) {
            throw new ApiRefusal(409, "clock_not_started", "This request's deadline has not started yet (it starts on verification).");
        }
        DeadlinePolicy policy = deadlines.policy(c.policy());
        DeadlineClock.Extension asked = new DeadlineClock.Extension(amount, unit == null ? policy.extensionUnit() : unit);
        try {
            DeadlineClock.checkExtension(policy, deadlines.extensionsOf(caseId), asked);
        } catch (IllegalArgumentException e) {
            throw new ApiRefusal(409, "not_extendable", e.getMessage());
        }
        Instant now = Instant.now();
        jdbc.update("insert into deadline_extension (case_id, amount, unit, reason, actor, at) values (?,?,?,?,?,?)",
                caseId, asked.amount(), asked.unit().name(), reason.strip(), actor, Timestamp.from(now));
        cases.refreshDue(caseId);
        DsrCase extended = cases.get(caseId);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("policy", policy.name());
        detail.put("amount", asked.amount());
        detail.put("unit", asked.unit().name());
        detail.put("reason", reason.strip());
        detail.put("previousDue", c.dueAt().toString());
        detail.put("due", extended.dueAt().toString());
        audit.append(caseId, actor, "deadline.extended", detail);
        OutgoingMail notice = mails.extensionNotice(extended, asked.amount(), asked.unit(), reason.strip());
        outbox.enqueueMail(caseId, notice);
        cases.setThreadMessageId(caseId, notice.messageId());
        return extended;
    }
}
