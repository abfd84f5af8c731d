package org.dsrflow.verification;

import java.sql.Timestamp;
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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Proves the requester controls the address before anything is disclosed or destroyed: a
 * one-time code and a link go to that address; either one, used in time and within the allowed
 * number of wrong tries, verifies the case and starts the response clock.
 */
@Component("verificationService")
public class VerificationService {
    private static final Pattern CODE = Pattern.compile("\\d{6}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{20,100}");

    private final CaseStore cases;
    private final JdbcTemplate jdbc;
    private final Secrets secrets;
    private final MailComposer mails;
    private final Outbox outbox;
    private final AuditLog audit;
    private final DsrflowSettings settings;

    VerificationService(CaseStore cases, JdbcTemplate jdbc, Secrets secrets, MailComposer mails, Outbox outbox, AuditLog audit,
                        DsrflowSettings settings) {
        this.cases = cases;
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.mails = mails;
        this.outbox = outbox;
        this.audit = audit;
        this.settings = settings;
    }

    /**
     * Issues the code and link and queues the mail. Starts from RECEIVED, or from
     * AWAITING_CLARIFICATION once the person has chosen what they want; any other case is
     * returned as it is.
     */
    @Transactional
    public DsrCase start(DsrCase received) {
        DsrCase current = cases.get(received.id());
        boolean chosen = current.state() == CaseState.AWAITING_CLARIFICATION && current.type() != CaseType.UNDECIDED;
        if (current.state() != CaseState.RECEIVED && !chosen) {
            return current;
        }
        String code = secrets.sixDigitCode();
        String token = secrets.urlToken();
        Instant expires = Instant.now().plus(settings.verification().codeTtl());
        jdbc.update("insert into verification (case_id, code_hash, token_hash, expires_at) values (?,?,?,?)",
                current.id(), secrets.hash("code:" + current.id(), code), secrets.hash("token", token), Timestamp.from(expires));
        DsrCase waiting = cases.transition(current.id(), CaseState.AWAITING_VERIFICATION, "verification", "code sent to the address");
        String link = settings.publicUrl() + "/verify.html?ref=" + current.id() + "&token=" + token;
        OutgoingMail mail = mails.verification(waiting, code, link, expires);
        cases.setThreadMessageId(current.id(), mail.messageId());
        outbox.enqueueMail(current.id(), mail);
        return cases.get(current.id());
    }

    /**
     * Verifies a case on the word of a support agent of a ticket system trusted to attest identity
     * (the person proved who they are to that system, for example by being signed in). Only the
     * ticket intake calls this, and only for sources configured with {@code trust-attestation}.
     */
    @Transactional
    public DsrCase attest(DsrCase received, String attestedBy) {
        DsrCase current = cases.get(received.id());
        if (current.state() != CaseState.RECEIVED) {
            return current;
        }
        String actor = truncate("agent:" + attestedBy, 64);
        cases.transition(current.id(), CaseState.AWAITING_VERIFICATION, actor, "identity attested by the agent of "
                + current.sourceSystem() + " ticket " + current.sourceTicketId());
        return cases.markVerified(current.id(), Instant.now(), actor);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    /** Checks a code or token. Wrong tries are counted and stay counted even though the attempt fails. */
    @Transactional(noRollbackFor = VerificationFailedException.class)
    public DsrCase confirm(VerificationAttempt attempt) {
        DsrCase c = cases.find(attempt.reference()).orElseThrow(() -> new CaseNotFoundException(attempt.reference()));
        if (c.state() != CaseState.AWAITING_VERIFICATION) {
            throw new VerificationFailedException("already_verified", 409, "This request is not waiting for verification (it is "
                    + c.state() + ").");
        }
        List<Map<String, Object>> rows = jdbc.queryForList(
                "select code_hash, token_hash, expires_at, failed_attempts from verification where case_id = ? for update", c.id());
        if (rows.isEmpty()) {
            throw new CaseNotFoundException(c.id());
        }
        Map<String, Object> v = rows.get(0);
        int failed = ((Number) v.get("failed_attempts")).intValue();
        if (failed >= settings.verification().maxAttempts()) {
            throw new VerificationFailedException("too_many_attempts", 429, "Too many wrong codes; this code is locked.");
        }
        if (((Timestamp) v.get("expires_at")).toInstant().isBefore(Instant.now())) {
            throw new VerificationFailedException("expired", 410, "This code has expired.");
        }
        if (!matches(c.id(), attempt, (String) v.get("code_hash"), (String) v.get("token_hash"))) {
            jdbc.update("update verification set failed_attempts = failed_attempts + 1 where case_id = ?", c.id());
            audit.append(c.id(), "requester", "verification.failed", Map.of("attempt", failed + 1));
            throw new VerificationFailedException("invalid_code", 400, "The code is not correct.");
        }
        Instant now = Instant.now();
        jdbc.update("update verification set confirmed_at = ? where case_id = ?", Timestamp.from(now), c.id());
        return cases.markVerified(c.id(), now, attempt.token() != null ? "requester:link" : "requester:code");
    }

    private boolean matches(String caseId, VerificationAttempt attempt, String codeHash, String tokenHash) {
        if (attempt.token() != null) {
            return TOKEN.matcher(attempt.token()).matches() && Secrets.sameHash(secrets.hash("token", attempt.token()), tokenHash);
        }
        return attempt.code() != null && CODE.matcher(attempt.code()).matches()
                && Secrets.sameHash(secrets.hash("code:" + caseId, attempt.code()), codeHash);
    }
}
