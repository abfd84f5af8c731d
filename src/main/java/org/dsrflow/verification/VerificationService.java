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
    private final org.dsrflow.intake.AccountDirectory accounts;
    private final org.springframework.transaction.support.TransactionTemplate tx;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(VerificationService.class);

    VerificationService(CaseStore cases, JdbcTemplate jdbc, Secrets secrets, MailComposer mails, Outbox outbox, AuditLog audit,
                        DsrflowSettings settings, org.dsrflow.intake.AccountDirectory accounts,
                        org.springframework.transaction.support.TransactionTemplate tx) {
        this.accounts = accounts;
        this.tx = tx;
        List<String> required = settings.verification().deletionDataPoints();
        accounts.source().ifPresent(source -> {
            List<String> unknown = required.stream().filter(p -> !source.dataPoints().contains(p)).toList();
            if (!unknown.isEmpty()) {
                throw new IllegalStateException("dsrflow.verification.deletion-data-points names " + unknown + ", which the identity source "
                        + source.system() + " does not declare under data-points (it has " + source.dataPoints() + ")");
            }
        });
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
        Issued issued = issue(current.id(), true);
        DsrCase waiting = cases.transition(current.id(), CaseState.AWAITING_VERIFICATION, "verification", "code sent to the address");
        send(waiting, mails.verification(waiting, issued.code(), issued.link(), issued.expires()));
        return cases.get(current.id());
    }

    /** A fresh code and link; the previous ones stop working. */
    private record Issued(String code, String link, Instant expires) {
    }

    private Issued issue(String caseId, boolean first) {
        String code = secrets.sixDigitCode();
        String token = secrets.urlToken();
        Instant now = Instant.now();
        Instant expires = now.plus(settings.verification().codeTtl());
        if (first) {
            jdbc.update("insert into verification (case_id, code_hash, token_hash, expires_at, issued_at, started_at) values (?,?,?,?,?,?)",
                    caseId, secrets.hash("code:" + caseId, code), secrets.hash("token", token), Timestamp.from(expires), Timestamp.from(now),
                    Timestamp.from(now));
        } else {
            jdbc.update("update verification set code_hash = ?, token_hash = ?, expires_at = ?, issued_at = ?, failed_attempts = 0 "
                            + "where case_id = ?",
                    secrets.hash("code:" + caseId, code), secrets.hash("token", token), Timestamp.from(expires), Timestamp.from(now), caseId);
        }
        return new Issued(code, settings.publicUrl() + "/verify.html?ref=" + caseId + "&token=" + token, expires);
    }

    private void send(DsrCase c, OutgoingMail mail) {
        cases.setThreadMessageId(c.id(), mail.messageId());
        outbox.enqueueMail(c.id(), mail);
    }

    /**
     * "Send me a new code": a fresh code and link replace the old ones (and the count of wrong tries
     * starts again), at most {@code max-resends} times per case and not sooner than
     * {@code resend-interval} after the last code.
     */
    @Transactional
    public DsrCase resend(String reference) {
        DsrCase c = cases.find(reference).orElseThrow(() -> new CaseNotFoundException(reference));
        if (c.state() != CaseState.AWAITING_VERIFICATION) {
            throw new VerificationFailedException("already_verified", 409, "This request is not waiting for verification (it is "
                    + c.state() + ").");
        }
        Map<String, Object> v = jdbc.queryForMap("select resends, issued_at from verification where case_id = ? for update", c.id());
        int resends = ((Number) v.get("resends")).intValue();
        if (resends >= settings.verification().maxResends()) {
            throw new VerificationFailedException("resend_limit", 429, "No more new codes for this request ("
                    + settings.verification().maxResends() + " already sent). Please use the latest one, or make a new request.");
        }
        Instant next = ((Timestamp) v.get("issued_at")).toInstant().plus(settings.verification().resendInterval());
        if (next.isAfter(Instant.now())) {
            throw new VerificationFailedException("resend_too_soon", 429, "A code was sent moments ago; please wait "
                    + Math.max(1, java.time.Duration.between(Instant.now(), next).toSeconds()) + " seconds before asking again.");
        }
        Issued issued = issue(c.id(), false);
        jdbc.update("update verification set resends = resends + 1 where case_id = ?", c.id());
        audit.append(c.id(), "requester", "verification.resent", Map.of("resend", resends + 1));
        send(c, mails.verification(c, issued.code(), issued.link(), issued.expires()));
        return cases.get(c.id());
    }

    /**
     * The timer's work: one reminder, with a fresh code, to people who have not confirmed after
     * {@code reminder-after}; and a polite close for requests still unverified after
     * {@code expire-after}. Each case in a transaction of its own, claimed with SKIP LOCKED (several
     * instances share the work), so one case that fails does not hold back the others.
     */
    public int sweep() {
        int done = 0;
        Instant now = Instant.now();
        // counted from the first code, not from receipt: a request may have waited for the person's choice first
        List<String> expired = jdbc.queryForList("select c.id from dsr_case c join verification v on v.case_id = c.id "
                        + "where c.state = ? and v.started_at < ? order by v.started_at limit 100", String.class,
                CaseState.AWAITING_VERIFICATION.name(), Timestamp.from(now.minus(settings.verification().expireAfter())));
        for (String id : expired) {
            done += each(id, "close", () -> {
                if (jdbc.queryForList("select id from dsr_case where id = ? and state = ? for update skip locked", String.class, id,
                        CaseState.AWAITING_VERIFICATION.name()).isEmpty()) {
                    return false;
                }
                DsrCase closed = cases.transition(id, CaseState.REJECTED, "verification",
                        "not verified within " + settings.verification().expireAfter().toDays() + " days");
                send(closed, mails.verificationExpired(closed, settings.verification().expireAfter()));
                return true;
            });
        }
        List<String> due = jdbc.queryForList("select v.case_id from verification v join dsr_case c on c.id = v.case_id "
                        + "where c.state = ? and v.reminded_at is null and v.issued_at < ? order by v.issued_at limit 100", String.class,
                CaseState.AWAITING_VERIFICATION.name(), Timestamp.from(now.minus(settings.verification().reminderAfter())));
        for (String id : due) {
            done += each(id, "remind", () -> {
                List<Timestamp> started = jdbc.queryForList("select v.started_at from verification v join dsr_case c on c.id = v.case_id "
                                + "where v.case_id = ? and c.state = ? and v.reminded_at is null for update of v skip locked",
                        Timestamp.class, id, CaseState.AWAITING_VERIFICATION.name());
                if (started.isEmpty()) {
                    return false;
                }
                DsrCase c = cases.get(id);
                Issued issued = issue(id, false);
                jdbc.update("update verification set reminded_at = ? where case_id = ?", Timestamp.from(Instant.now()), id);
                audit.append(id, "verification", "verification.reminded", Map.of());
                send(c, mails.verificationReminder(c, issued.code(), issued.link(), issued.expires(),
                        started.get(0).toInstant().plus(settings.verification().expireAfter())));
                return true;
            });
        }
        return done;
    }

    /** One case's step of the sweep in its own transaction; a failure is logged and the sweep goes on. */
    private int each(String caseId, String what, java.util.function.Supplier<Boolean> step) {
        try {
            return Boolean.TRUE.equals(tx.execute(status -> step.get())) ? 1 : 0;
        } catch (RuntimeException e) {
            log.warn("Could not {} unverified case {} (tried again at the next sweep): {}", what, caseId,
                    org.dsrflow.LogSafe.redact(String.valueOf(e)));
            return 0;
        }
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
        if (attestedBy.startsWith("console:")) {
            String actor = truncate(attestedBy, 64);
            cases.transition(current.id(), CaseState.AWAITING_VERIFICATION, actor, "signed in to the provider's console");
            audit.append(current.id(), actor, "verification.attested", Map.of("method", "console-token",
                    "note", "a valid console token for this address came with the request"));
            return cases.markVerified(current.id(), Instant.now(), actor);
        }
        String actor = truncate("agent:" + attestedBy, 64);
        cases.transition(current.id(), CaseState.AWAITING_VERIFICATION, actor, "identity attested by the agent of "
                + current.sourceSystem() + " ticket " + current.sourceTicketId());
        audit.append(current.id(), actor, "verification.attested", Map.of("method", "ticket:" + current.sourceSystem(),
                "note", "attested on ticket " + current.sourceTicketId()));
        return cases.markVerified(current.id(), Instant.now(), actor);
    }

    /**
     * Verifies a case on a support agent's word: the agent checked the person's identity another way
     * (a call to the number on record, the account console, an identity document) and says how. The
     * agent, the method and the note go into the audit log; the code sent by mail stops working.
     */
    @Transactional
    public DsrCase attestByAgent(String reference, String agentActor, String method, String note) {
        DsrCase c = cases.find(reference).orElseThrow(() -> new CaseNotFoundException(reference));
        if (c.state() != CaseState.AWAITING_VERIFICATION) {
            throw new VerificationFailedException("already_verified", 409, "This request is not waiting for verification (it is "
                    + c.state() + ").");
        }
        if (method == null || !method.matches("[a-z][a-z-]{2,31}")) {
            throw new VerificationFailedException("validation_failed", 400,
                    "method: how the identity was checked, e.g. phone-call, video-call, in-person, id-document.");
        }
        if (note == null || note.isBlank() || note.length() > 500 || note.chars().anyMatch(ch -> ch < 0x20 && ch != '\n')) {
            throw new VerificationFailedException("validation_failed", 400, "note: what was checked (at most 500 characters).");
        }
        Instant now = Instant.now();
        jdbc.update("update verification set confirmed_at = ?, expires_at = ? where case_id = ?", Timestamp.from(now), Timestamp.from(now),
                c.id());
        Map<String, Object> detail = new java.util.LinkedHashMap<>();
        detail.put("method", method);
        detail.put("note", note.strip());
        audit.append(c.id(), agentActor, "verification.attested", detail);
        return cases.markVerified(c.id(), now, agentActor);
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
        List<String> checked = checkDataPoints(c, attempt, failed);
        Instant now = Instant.now();
        jdbc.update("update verification set confirmed_at = ? where case_id = ?", Timestamp.from(now), c.id());
        if (!checked.isEmpty()) {
            audit.append(c.id(), "requester", "verification.data-points", Map.of("matched", checked));
        }
        return cases.markVerified(c.id(), now, attempt.token() != null ? "requester:link" : "requester:code");
    }

    /**
     * The stricter level for deletions of known accounts: each configured data point must match the
     * account record. A missing one is asked for (the code stays valid); a wrong one counts as a
     * wrong try. Returns the data points that matched.
     */
    private List<String> checkDataPoints(DsrCase c, VerificationAttempt attempt, int failed) {
        List<String> required = settings.verification().deletionDataPoints();
        if (required.isEmpty() || c.type() != CaseType.DELETION || accounts.source().isEmpty()) {
            return List.of();
        }
        String accountId = c.accountId();
        if (accountId == null) {
            // not matched at intake: perhaps the account system was down then; it must answer now
            org.dsrflow.intake.AccountDirectory.Match match = accounts.find(c.subjectEmail());
            if (match.outcome() == org.dsrflow.intake.AccountDirectory.Outcome.UNAVAILABLE) {
                throw new VerificationFailedException("try_later", 503,
                        "We cannot check your account right now; please try again in a few minutes. Your code stays valid.");
            }
            if (match.found().isEmpty()) {
                return List.of();
            }
            accountId = match.account().accountId();
        }
        org.dsrflow.connector.IdentitySource source = accounts.source().get();
        List<String> missing = required.stream().filter(p -> attempt.dataPoints().get(p) == null).toList();
        if (!missing.isEmpty()) {
            throw new VerificationFailedException("data_point_required", 400, "To delete an account we also need: "
                    + String.join(", ", missing) + " (as recorded on the account).");
        }
        org.dsrflow.connector.IdentitySource.Account account = new org.dsrflow.connector.IdentitySource.Account(source.system(),
                accountId, c.subjectEmail(), c.region());
        for (String point : required) {
            if (!source.matches(account, point, attempt.dataPoints().get(point))) {
                jdbc.update("update verification set failed_attempts = failed_attempts + 1 where case_id = ?", c.id());
                audit.append(c.id(), "requester", "verification.failed", Map.of("attempt", failed + 1, "dataPoint", point));
                throw new VerificationFailedException("data_point_mismatch", 400, "The " + point
                        + " does not match the one on the account.");
            }
        }
        return required;
    }

    private boolean matches(String caseId, VerificationAttempt attempt, String codeHash, String tokenHash) {
        if (attempt.token() != null) {
            return TOKEN.matcher(attempt.token()).matches() && Secrets.sameHash(secrets.hash("token", attempt.token()), tokenHash);
        }
        return attempt.code() != null && CODE.matcher(attempt.code()).matches()
                && Secrets.sameHash(secrets.hash("code:" + caseId, attempt.code()), codeHash);
    }
}
