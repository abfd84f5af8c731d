package org.dsrflow.intake;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.dsrflow.DsrflowSettings;
import org.dsrflow.audit.AuditLog;
import org.dsrflow.cases.CaseNotFoundException;
import org.dsrflow.cases.CaseState;
import org.dsrflow.cases.CaseStore;
import org.dsrflow.cases.CaseType;
import org.dsrflow.cases.DsrCase;
import org.dsrflow.outbox.Outbox;
import org.dsrflow.outbox.OutgoingMail;
import org.dsrflow.reply.MailComposer;
import org.dsrflow.verification.Secrets;
import org.dsrflow.verification.VerificationFailedException;
import org.dsrflow.verification.VerificationService;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * When a message does not say clearly whether the person wants a copy or a deletion, we ask
 * rather than guess: a mail with two links, each carrying a single-use token. The choice sets the
 * request's kind; identity is then verified as for any other request.
 */
@Component("clarificationService")
public class ClarificationService {
    /** The person may take their time; the case waits (and shows on the dashboard) meanwhile. */
    static final Duration CHOICE_TTL = Duration.ofDays(30);
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{20,100}");

    private final CaseStore cases;
    private final JdbcTemplate jdbc;
    private final Secrets secrets;
    private final MailComposer mails;
    private final Outbox outbox;
    private final AuditLog audit;
    private final DsrflowSettings settings;
    private final VerificationService verification;

    ClarificationService(CaseStore cases, JdbcTemplate jdbc, Secrets secrets, MailComposer mails, Outbox outbox, AuditLog audit,
                         DsrflowSettings settings, VerificationService verification) {
        this.verification = verification;
        this.cases = cases;
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.mails = mails;
        this.outbox = outbox;
        this.audit = audit;
        this.settings = settings;
    }

    @Transactional
    public DsrCase start(DsrCase received) {
        DsrCase current = cases.get(received.id());
        if (current.state() != CaseState.RECEIVED || current.type() != CaseType.UNDECIDED) {
            return current;
        }
        String token = secrets.urlToken();
        Instant expires = Instant.now().plus(CHOICE_TTL);
        jdbc.update("insert into clarification (case_id, token_hash, expires_at) values (?,?,?)",
                current.id(), secrets.hash("choice", token), Timestamp.from(expires));
        DsrCase waiting = cases.transition(current.id(), CaseState.AWAITING_CLARIFICATION, "intake", "intent unclear: asked to choose");
        String base = settings.publicUrl() + "/choose.html?ref=" + current.id() + "&token=" + token + "&type=";
        OutgoingMail mail = mails.clarification(waiting, base + "ACCESS", base + "DELETION", expires);
        outbox.enqueueMail(current.id(), mail);
        cases.setThreadMessageId(current.id(), mail.messageId());
        return cases.get(current.id());
    }

    /** Records the person's choice (the token works once) and starts verification in the same transaction. */
    @Transactional(noRollbackFor = VerificationFailedException.class)
    public DsrCase choose(String reference, String token, CaseType type) {
        if (type != CaseType.ACCESS && type != CaseType.DELETION) {
            throw new InvalidRequestException("type", "Choose ACCESS or DELETION.");
        }
        DsrCase c = cases.find(reference).orElseThrow(() -> new CaseNotFoundException(reference));
        List<Map<String, Object>> rows = jdbc.queryForList(
                "select token_hash, expires_at, chosen_at from clarification where case_id = ? for update", c.id());
        if (rows.isEmpty() || token == null || !TOKEN.matcher(token).matches()
                || !Secrets.sameHash(secrets.hash("choice", token), (String) rows.get(0).get("token_hash"))) {
            audit.append(c.id(), "requester", "clarification.refused", Map.of("reason", "wrong link"));
            throw new VerificationFailedException("invalid_link", 400, "This link is not valid for this request.");
        }
        if (rows.get(0).get("chosen_at") != null || c.state() != CaseState.AWAITING_CLARIFICATION) {
            throw new VerificationFailedException("already_chosen", 409, "A choice was already made for this request.");
        }
        if (((Timestamp) rows.get(0).get("expires_at")).toInstant().isBefore(Instant.now())) {
            throw new VerificationFailedException("expired", 410, "This link has expired; please write to us again.");
        }
        jdbc.update("update clarification set chosen_at = ?, chosen_type = ? where case_id = ?",
                Timestamp.from(Instant.now()), type.name(), c.id());
        cases.decideType(c.id(), type);
        audit.append(c.id(), "requester:link", "clarification.chosen", Map.of("type", type.name()));
        return verification.start(cases.get(c.id()));
    }
}
