package org.dsrflow.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Http;
import org.dsrflow.support.Mailbox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Codes that are wrong, guessed, replayed, expired or borrowed from another case verify nothing. */
class VerificationTests extends EmbeddedStackTest {
    @Autowired
    JdbcTemplate jdbc;
    Http http;
    Mailbox mailbox;

    @BeforeEach
    void clients() {
        http = new Http(port);
        mailbox = new Mailbox(imapPort);
    }

    @Test
    void theSixthTryFailsEvenWithTheRightCode() throws Exception {
        String[] c = requestAndCode("grace.foster@example.com");
        String wrong = c[1].equals("999999") ? "888888" : "999999";
        for (int i = 0; i < 5; i++) {
            Http.Reply r = verify(c[0], wrong);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().path("error").asText()).isEqualTo("invalid_code");
        }
        Http.Reply locked = verify(c[0], c[1]);
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.json().path("error").asText()).isEqualTo("too_many_attempts");
        assertThat(state(c[0])).isEqualTo("AWAITING_VERIFICATION");
        assertThat(jdbc.queryForObject("select count(*) from audit_log where case_id = ? and action = 'verification.failed'",
                Integer.class, c[0])).isEqualTo(5);
    }

    @Test
    void aCodeWorksOnceAndOnlyForItsOwnCase() throws Exception {
        String[] first = requestAndCode("henry.graham@example.com");
        String[] second = requestAndCode("chloe.murray@example.net");
        if (!first[1].equals(second[1])) {
            assertThat(verify(second[0], first[1]).status()).as("another case's code").isEqualTo(400);
        }
        assertThat(verify(first[0], first[1]).status()).isEqualTo(200);
        Http.Reply replay = verify(first[0], first[1]);
        assertThat(replay.status()).isEqualTo(409);
        assertThat(replay.json().path("error").asText()).isEqualTo("already_verified");
        assertThat(verify(second[0], second[1]).status()).isEqualTo(200);
    }

    @Test
    void anExpiredCodeIsRefused() throws Exception {
        String[] c = requestAndCode("daniel.perry@example.net");
        jdbc.update("update verification set expires_at = now() - interval '1 minute' where case_id = ?", c[0]);
        Http.Reply r = verify(c[0], c[1]);
        assertThat(r.status()).isEqualTo(410);
        assertThat(r.json().path("error").asText()).isEqualTo("expired");
        assertThat(state(c[0])).isEqualTo("AWAITING_VERIFICATION");
    }

    @Test
    void aForgedLinkTokenIsRefused() throws Exception {
        String[] c = requestAndCode("hannah.sutton@example.com");
        Http.Reply r = http.postJson("/api/requests/" + c[0] + "/verification", "{\"token\":\"" + "A".repeat(43) + "\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").asText()).isEqualTo("invalid_code");
        assertThat(state(c[0])).isEqualTo("AWAITING_VERIFICATION");
    }

    @Test
    void anExpiredDownloadLinkIsGone() throws Exception {
        String[] c = requestAndCode("samuel.webb@example.net");
        assertThat(verify(c[0], c[1]).status()).isEqualTo(200);
        Mailbox.Mail reply = mailbox.await("samuel.webb@example.net", m -> m.subject().startsWith("Your personal data"),
                Duration.ofSeconds(30));
        Matcher link = Pattern.compile("/download/([A-Za-z0-9_-]+)").matcher(reply.body());
        assertThat(link.find()).isTrue();
        assertThat(http.get(link.group()).status()).isEqualTo(200);
        jdbc.update("update export_package set expires_at = now() - interval '1 second' where case_id = ?", c[0]);
        Http.Reply gone = http.get(link.group());
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.json().path("error").asText()).isEqualTo("expired");
    }

    private String[] requestAndCode(String email) throws Exception {
        Http.Reply r = http.postJson("/api/requests", "{\"type\":\"ACCESS\",\"email\":\"" + email + "\",\"language\":\"en\"}");
        String reference = r.json().path("reference").asText();
        Mailbox.Mail mail = mailbox.await(email, m -> m.subject().contains(reference), Duration.ofSeconds(30));
        Matcher m = Pattern.compile("\\b(\\d{6})\\b").matcher(mail.body());
        assertThat(m.find()).isTrue();
        return new String[] {reference, m.group(1)};
    }

    private Http.Reply verify(String reference, String code) throws Exception {
        return http.postJson("/api/requests/" + reference + "/verification", "{\"code\":\"" + code + "\"}");
    }

    private String state(String reference) throws Exception {
        return http.get("/api/requests/" + reference).json().path("state").asText();
    }
}
