package org.dsrflow.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Http;
import org.dsrflow.support.Mailbox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** New codes on request (within limits), the reminder after a day, and the polite close of requests never confirmed. */
class VerificationLifecycleTests extends EmbeddedStackTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    VerificationService verification;
    Http http;
    Mailbox mailbox;

    @BeforeEach
    void clients() {
        http = new Http(port);
        mailbox = new Mailbox(imapPort);
    }

    @Test
    void aNewCodeReplacesTheOldOneAndOnlySoOftenAndNotTooSoon() throws Exception {
        String person = "resend.me@example.org";
        String reference = request(person);
        String first = code(awaitMails(person, 1, m -> m.subject().startsWith("Confirm your privacy request")).get(0));

        Http.Reply tooSoon = resend(reference);
        assertThat(tooSoon.status()).isEqualTo(429);
        assertThat(tooSoon.json().path("error").asText()).isEqualTo("resend_too_soon");

        for (int i = 1; i <= 3; i++) {
            backdateCode(reference, Duration.ofMinutes(2));
            assertThat(resend(reference).status()).as("resend %d", i).isEqualTo(200);
        }
        backdateCode(reference, Duration.ofMinutes(2));
        Http.Reply limit = resend(reference);
        assertThat(limit.status()).isEqualTo(429);
        assertThat(limit.json().path("error").asText()).isEqualTo("resend_limit");

        List<Mailbox.Mail> mails = awaitMails(person, 4, m -> m.subject().startsWith("Confirm your privacy request"));
        String latest = code(mails.get(mails.size() - 1));
        if (!latest.equals(first)) {
            assertThat(verify(reference, first).status()).as("the first code no longer works").isEqualTo(400);
        }
        assertThat(verify(reference, latest).status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select count(*) from audit_log where case_id = ? and action = 'verification.resent'",
                Integer.class, reference)).isEqualTo(3);
    }

    @Test
    void afterADayAReminderBringsAFreshCodeOnce() throws Exception {
        String person = "slow.reader@example.org";
        String reference = request(person);
        String first = code(awaitMails(person, 1, m -> m.subject().startsWith("Confirm your privacy request")).get(0));
        backdateCode(reference, Duration.ofHours(25));

        verification.sweep();
        verification.sweep();
        Mailbox.Mail reminder = mailbox.await(person, m -> m.subject().startsWith("Reminder: confirm your privacy request " + reference), WAIT);
        assertThat(reminder.body()).contains("we close the").contains("no longer works");
        Thread.sleep(500);
        assertThat(mailbox.read(person)).filteredOn(m -> m.subject().startsWith("Reminder")).as("one reminder only").hasSize(1);
        String fresh = code(reminder);
        if (!fresh.equals(first)) {
            assertThat(verify(reference, first).status()).isEqualTo(400);
        }
        assertThat(verify(reference, fresh).status()).isEqualTo(200);
    }

    @Test
    void aRequestNeverConfirmedIsClosedPolitelyAndNothingIsDone() throws Exception {
        String person = "never.confirms@example.org";
        String reference = request(person);
        String code = code(awaitMails(person, 1, m -> m.subject().startsWith("Confirm your privacy request")).get(0));
        jdbc.update("update dsr_case set received_at = received_at - interval '30 days' where id = ?", reference);
        verification.sweep();
        assertThat(http.get("/api/requests/" + reference).json().path("state").asText())
                .as("counted from the first code, not from receipt (a request may wait for a choice first)")
                .isEqualTo("AWAITING_VERIFICATION");
        jdbc.update("update verification set started_at = started_at - interval '8 days' where case_id = ?", reference);

        verification.sweep();
        Mailbox.Mail closed = mailbox.await(person, m -> m.subject().startsWith("Your privacy request " + reference + " is closed"), WAIT);
        assertThat(closed.body()).contains("within 7 days").contains("done nothing with your data");
        assertThat(http.get("/api/requests/" + reference).json().path("state").asText()).isEqualTo("REJECTED");
        assertThat(verify(reference, code).status()).as("a closed request cannot be verified").isEqualTo(409);
        assertThat(jdbc.queryForObject("select count(*) from connector_task where case_id = ?", Integer.class, reference)).isZero();
    }

    @Test
    void aSupportAgentAttestsTheIdentityWithMethodAndNoteInTheAuditLog() throws Exception {
        String person = "called.in@example.org";
        String reference = request(person);
        String code = code(awaitMails(person, 1, m -> m.subject().startsWith("Confirm your privacy request")).get(0));
        String body = "{\"method\":\"phone-call\",\"note\":\"Called the number on record; caller knew the last invoice amount.\"}";

        assertThat(attest(reference, body, "not-the-token").status()).isEqualTo(401);
        assertThat(attest(reference, "{\"method\":\"phone-call\"}", "demo-only-operator-token").status()).as("no note").isEqualTo(400);
        Http.Reply attested = attest(reference, body, "demo-only-operator-token");
        assertThat(attested.status()).as(attested.body()).isEqualTo(200);
        assertThat(attested.json().path("state").asText()).isEqualTo("VERIFIED");
        assertThat(attested.json().path("dueAt").asText()).isNotBlank();

        java.util.Map<String, Object> row = jdbc.queryForMap(
                "select actor, detail from audit_log where case_id = ? and action = 'verification.attested'", reference);
        assertThat(row.get("actor")).isEqualTo("agent:mei.lin");
        assertThat((String) row.get("detail")).contains("phone-call").contains("last invoice amount");
        assertThat(attest(reference, body, "demo-only-operator-token").status()).as("only once").isEqualTo(409);
        assertThat(verify(reference, code).status()).as("the mailed code is moot now").isEqualTo(409);
    }

    private Http.Reply attest(String reference, String body, String token) throws Exception {
        return http.post("/api/requests/" + reference + "/attestation", body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "Authorization", "Bearer " + token, "X-Dsrflow-Operator", "mei.lin");
    }

    private String request(String email) throws Exception {
        Http.Reply r = http.postJson("/api/requests", "{\"type\":\"ACCESS\",\"email\":\"" + email + "\",\"language\":\"en\"}");
        assertThat(r.status()).isEqualTo(201);
        return r.json().path("reference").asText();
    }

    private void backdateCode(String reference, Duration by) {
        jdbc.update("update verification set issued_at = ? where case_id = ?", java.sql.Timestamp.from(Instant.now().minus(by)), reference);
    }

    private List<Mailbox.Mail> awaitMails(String person, int count, Predicate<Mailbox.Mail> wanted) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        List<Mailbox.Mail> found = List.of();
        while (Instant.now().isBefore(deadline)) {
            found = mailbox.read(person).stream().filter(wanted).toList();
            if (found.size() >= count) {
                return found;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("expected " + count + " mails for " + person + ", found " + found.size());
    }

    private static String code(Mailbox.Mail mail) {
        Matcher m = CODE.matcher(mail.body());
        assertThat(m.find()).as("a code in " + mail.subject()).isTrue();
        return m.group(1);
    }

    private Http.Reply resend(String reference) throws Exception {
        return http.post("/api/requests/" + reference + "/verification/resend", new byte[0]);
    }

    private Http.Reply verify(String reference, String code) throws Exception {
        return http.postJson("/api/requests/" + reference + "/verification", "{\"code\":\"" + code + "\"}");
    }
}
