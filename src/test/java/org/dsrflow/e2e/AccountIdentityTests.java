package org.dsrflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Http;
import org.dsrflow.support.MailDrop;
import org.dsrflow.support.Mailbox;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Requests are matched to the account system (billing declares itself the identity source): the
 * code goes only to the contact on record, and the account's region picks the deadline policy.
 */
class AccountIdentityTests extends EmbeddedStackTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aMailWithAnotherReplyToAddressIsAnsweredOnlyAtTheAddressOnRecord() throws Exception {
        String onRecord = "henry.graham@example.net";
        String elsewhere = "collector@elsewhere.example.org";
        String id = MailIntakeTests.messageId();
        String mail = "From: Henry Graham <Henry.Graham@Example.NET>\r\nReply-To: " + elsewhere + "\r\nTo: " + MailDrop.PRIVACY
                + "\r\nSubject: My data\r\nMessage-ID: " + id + "\r\n\r\nPlease send me a copy of my personal data.\r\n";
        new MailDrop(smtpPort, imapPort).send(mail);

        Mailbox mailbox = new Mailbox(imapPort);
        Mailbox.Mail verification = mailbox.await(onRecord, m -> m.subject().startsWith("Confirm your privacy request"), WAIT);
        assertThat(verification.to()).isEqualTo(onRecord);
        Map<String, Object> c = jdbc.queryForMap("select * from dsr_case where id = ?", verification.subject().replaceAll(".* ", ""));
        assertThat(c).containsEntry("subject_email", onRecord).containsEntry("requester_email", onRecord)
                .containsEntry("account_id", "1012").containsEntry("region", "UK").containsEntry("policy", "gdpr");
        // gdpr counts from receipt: a month from today, whatever the verification does
        Instant received = ((java.sql.Timestamp) c.get("received_at")).toInstant();
        assertThat(((java.sql.Timestamp) c.get("due_at")).toInstant())
                .isEqualTo(received.atZone(BEIJING).toLocalDate().plusMonths(1).atTime(23, 59, 59).atZone(BEIJING).toInstant());
        assertThat(verification.body()).contains("We will reply by");
        Thread.sleep(1000);
        assertThat(mailbox.read(elsewhere)).as("nothing goes to the Reply-To address").isEmpty();
    }

    @Test
    void aCaliforniaAccountAnswersToCcpaAndAPersonWithoutAnAccountToTheDefault() throws Exception {
        Http http = new Http(port);
        Http.Reply california = http.postJson("/api/requests", "{\"type\":\"ACCESS\",\"email\":\"chloe.murray@example.com\",\"language\":\"en\"}");
        assertThat(california.status()).isEqualTo(201);
        Map<String, Object> c = jdbc.queryForMap("select * from dsr_case where id = ?", california.json().path("reference").asText());
        assertThat(c).containsEntry("policy", "ccpa").containsEntry("account_id", "1013");
        Instant received = ((java.sql.Timestamp) c.get("received_at")).toInstant();
        assertThat(((java.sql.Timestamp) c.get("due_at")).toInstant())
                .isEqualTo(received.atZone(BEIJING).toLocalDate().plusDays(45).atTime(23, 59, 59).atZone(BEIJING).toInstant());

        Http.Reply stranger = http.postJson("/api/requests", "{\"type\":\"ACCESS\",\"email\":\"no.account@example.org\",\"language\":\"en\"}");
        Map<String, Object> s = jdbc.queryForMap("select * from dsr_case where id = ?", stranger.json().path("reference").asText());
        assertThat(s).containsEntry("policy", "cn-15").containsEntry("account_id", null).containsEntry("due_at", null);
        assertThat(jdbc.queryForList("select detail from audit_log where case_id = ? and action = 'identity.looked-up'", String.class,
                s.get("id"))).singleElement().asString().contains("NO_ACCOUNT");
    }
}
