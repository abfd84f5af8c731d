package org.dsrflow.console;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.dsrflow.ApiRefusal;
import org.dsrflow.audit.AuditLog;
import org.dsrflow.cases.CaseNotFoundException;
import org.dsrflow.cases.CaseState;
import org.dsrflow.cases.CaseStore;
import org.dsrflow.cases.DsrCase;
import org.dsrflow.connector.manual.ManualTaskCloser;
import org.dsrflow.outbox.Outbox;
import org.dsrflow.outbox.OutgoingMail;
import org.dsrflow.reply.MailComposer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The console's actions that have no older API of their own: reject a request, resend one of its
 * mails, close a manual task. Each takes the case's row lock, does its work and writes the audit
 * entry (who, why) in one transaction.
 */
@Component
public class ConsoleActions {
    private final CaseStore cases;
    private final JdbcTemplate jdbc;
    private final Outbox outbox;
    private final MailComposer mails;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final ManualTaskCloser manual;

    ConsoleActions(CaseStore cases, JdbcTemplate jdbc, Outbox outbox, MailComposer mails, AuditLog audit, ObjectMapper json,
                   ManualTaskCloser manual) {
        this.cases = cases;
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.mails = mails;
        this.audit = audit;
        this.json = json;
        this.manual = manual;
    }

    /** Declines a request that has not reached the systems yet; the requester is told why, in their language. */
    @Transactional
    public DsrCase reject(String reference, String reason, String actor) {
        DsrCase c = locked(reference);
        if (!c.state().canMoveTo(CaseState.REJECTED)) {
            throw new ApiRefusal(409, "not_rejectable", c.state().isClosed() ? "This request is already closed (" + c.state() + ")."
                    : "This request is already being fulfilled (" + c.state() + "); it can no longer be rejected.");
        }
        DsrCase closed = cases.transition(reference, CaseState.REJECTED, actor, reason);
        outbox.enqueueMail(reference, mails.rejection(closed, reason));
        return closed;
    }

    /** Queues one of the case's mails again as a new message in its thread (the person lost it, a filter ate it). */
    @Transactional
    public long resendMail(String reference, long mailId, String reason, String actor) {
        DsrCase c = locked(reference);
        Map<String, Object> row = jdbc.queryForList("select payload, sent_at from outbox where id = ? and case_id = ? and kind = 'MAIL'",
                mailId, reference).stream().findFirst()
                .orElseThrow(() -> new ApiRefusal(404, "no_such_mail", "This request has no mail " + mailId + "."));
        if (row.get("sent_at") == null) {
            throw new ApiRefusal(409, "not_sent_yet", "Mail " + mailId + " has not been sent yet; it is still being tried.");
        }
        OutgoingMail original;
        try {
            original = json.readValue((String) row.get("payload"), OutgoingMail.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ApiRefusal(409, "unreadable_mail", "Mail " + mailId + " cannot be read back.");
        }
        if (!original.to().equalsIgnoreCase(c.requesterEmail())) {
            throw new ApiRefusal(409, "not_to_requester", "Only mails to the requester can be resent from here.");
        }
        outbox.enqueueMail(reference, mails.again(c, original));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("mail", mailId);
        detail.put("subject", original.subject());
        detail.put("reason", reason);
        audit.append(reference, actor, "mail.resent", detail);
        return jdbc.queryForObject("select max(id) from outbox where case_id = ? and kind = 'MAIL'", Long.class, reference);
    }

    /** Closes a manual system's task on its owner's behalf. */
    @Transactional
    public String closeManualTask(String reference, String system, Map<String, Long> rows, String reason, String actor) {
        locked(reference);
        return manual.close(reference, system, rows, actor, reason);
    }

    private DsrCase locked(String reference) {
        DsrCase c = cases.find(reference).orElseThrow(() -> new CaseNotFoundException(reference));
        cases.lock(reference);
        return cases.get(c.id());
    }
}
