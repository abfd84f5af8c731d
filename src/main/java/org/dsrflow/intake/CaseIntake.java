package org.dsrflow.intake;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.dsrflow.audit.AuditLog;
import org.dsrflow.cases.CaseOrigin;
import org.dsrflow.cases.CaseStore;
import org.dsrflow.cases.CaseType;
import org.dsrflow.cases.DsrCase;
import org.dsrflow.outbox.Outbox;
import org.dsrflow.outbox.OutgoingMail;
import org.dsrflow.reply.MailComposer;
import org.dsrflow.tickets.TicketUpdates;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Turns a validated request into a stored case; every channel ends here. A person has at most one
 * open case per kind of request: asking again while it is open joins it (and they are told so),
 * and the same ticket or mail delivered twice is recognised and changes nothing.
 */
@Component("caseIntake")
public class CaseIntake {
    private final CaseStore cases;
    private final JdbcTemplate jdbc;
    private final AuditLog audit;
    private final MailComposer mails;
    private final Outbox outbox;
    private final TicketUpdates ticketUpdates;
    private final AccountDirectory accounts;

    CaseIntake(CaseStore cases, JdbcTemplate jdbc, AuditLog audit, MailComposer mails, Outbox outbox, TicketUpdates ticketUpdates,
               AccountDirectory accounts) {
        this.accounts = accounts;
        this.ticketUpdates = ticketUpdates;
        this.cases = cases;
        this.jdbc = jdbc;
        this.audit = audit;
        this.mails = mails;
        this.outbox = outbox;
    }

    /**
     * Matches the person to an account first: for a known account the case is about the address
     * on record, and every code and reply goes there and nowhere else.
     */
    @Transactional
    public IntakeResult receive(NewRequest asked) {
        AccountDirectory.Match match = accounts.find(asked.subjectEmail());
        NewRequest request = match.found().map(a -> asked.about(a.contactEmail())).orElse(asked);
        cases.lockSubject(request.subjectEmail());
        if (request.sourceRef() != null) {
            Optional<String> seen = jdbc.queryForList("select case_id from case_request where source_ref = ?", String.class,
                    request.sourceRef()).stream().findFirst();
            if (seen.isPresent()) {
                return new IntakeResult(cases.get(seen.get()), IntakeResult.Outcome.REPEATED);
            }
        }
        Optional<DsrCase> open = cases.openCases(request.subjectEmail()).stream()
                .filter(c -> sameAsk(c.type(), request.type()))
                .findFirst();
        if (open.isPresent()) {
            return join(open.get(), request);
        }
        DsrCase created = cases.create(request.type(), request.channel(), request.subjectEmail(), request.requesterEmail(),
                request.language(), new CaseOrigin(request.agentEmail(), request.sourceSystem(), request.sourceTicketId(),
                        request.inboundMessageId(), request.inboundReferences()),
                actor(request));
        record(created.id(), request, IntakeResult.Outcome.NEW);
        created = cases.linkAccount(created.id(), match.outcome().name(), match.account());
        return new IntakeResult(created, IntakeResult.Outcome.NEW);
    }

    /** Tells the person, in copy to a forwarding agent, that their request arrived; used when an agent brought it in. */
    @Transactional
    public IntakeResult acknowledge(IntakeResult result) {
        DsrCase c = result.current();
        if (c.agentEmail() != null) {
            send(c, mails.acknowledgement(c));
            return new IntakeResult(cases.get(c.id()), result.outcome());
        }
        return result;
    }

    private IntakeResult join(DsrCase open, NewRequest request) {
        record(open.id(), request, IntakeResult.Outcome.JOINED);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("channel", request.channel().name());
        detail.put("requested", request.type().name());
        if (request.sourceSystem() != null) {
            detail.put("source", request.sourceSystem());
            detail.put("ticket", request.sourceTicketId());
        }
        if (request.agentEmail() != null) {
            detail.put("agent", request.agentEmail());
        }
        audit.append(open.id(), actor(request), "case.joined", detail);
        if (request.sourceSystem() != null) {
            ticketUpdates.joined(request.sourceSystem(), request.sourceTicketId(), open);
        }
        send(open, mails.joined(open, request.agentEmail()));
        return new IntakeResult(cases.get(open.id()), IntakeResult.Outcome.JOINED);
    }

    private void send(DsrCase c, OutgoingMail mail) {
        outbox.enqueueMail(c.id(), mail);
        cases.setThreadMessageId(c.id(), mail.messageId());
    }

    private void record(String caseId, NewRequest request, IntakeResult.Outcome outcome) {
        jdbc.update("insert into case_request (case_id, channel, source_ref, requested, outcome, agent_email, received_at) "
                        + "values (?,?,?,?,?,?,?)",
                caseId, request.channel().name(), request.sourceRef(), request.type().name(), outcome.name(), request.agentEmail(),
                Timestamp.from(Instant.now()));
    }

    /** An unclear message belongs with whatever the person already has open; otherwise the kinds must match. */
    private static boolean sameAsk(CaseType open, CaseType asked) {
        return open == asked || open == CaseType.UNDECIDED || asked == CaseType.UNDECIDED;
    }

    private static String actor(NewRequest request) {
        String channel = "intake:" + request.channel().name().toLowerCase(java.util.Locale.ROOT);
        return request.sourceSystem() == null ? channel : channel + ":" + request.sourceSystem();
    }

    /** The result with the case as it is now, after the steps that followed intake. */
    public IntakeResult refresh(IntakeResult result) {
        return new IntakeResult(cases.get(result.current().id()), result.outcome());
    }

    /** Every request that reached a case, oldest first (for the case view and tests). */
    public List<Map<String, Object>> requestsOf(String caseId) {
        return jdbc.queryForList("select channel, source_ref, requested, outcome, agent_email, received_at from case_request "
                + "where case_id = ? order by id", caseId);
    }
}
