package org.dsrflow.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.dsrflow.audit.AuditLog;
import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Http;
import org.dsrflow.support.Mailbox;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** A case closed longer ago than the retention period keeps its dates and counts, and loses its personal data. */
class PersonalDataPurgeTests extends EmbeddedStackTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PersonalDataPurge purge;
    @Autowired
    AuditLog audit;

    @Test
    void aCaseClosedLongerThanTheRetentionIsRedactedAndNothingNewerIsTouched() throws Exception {
        Http http = new Http(port);
        Mailbox mailbox = new Mailbox(imapPort);
        String old = answered(http, mailbox, "maya.castillo@example.org");
        String recent = answered(http, mailbox, "felix.brandt@example.org");
        String open = http.postJson("/api/requests", "{\"type\":\"ACCESS\",\"email\":\"leon.abara@example.org\",\"language\":\"en\"}")
                .json().path("reference").asText();
        // fixtures: the first case closed 91 days ago (the default retention is 90), the second yesterday
        jdbc.update("update dsr_case set closed_at = ? where id = ?", Timestamp.from(Instant.now().minus(Duration.ofDays(91))), old);
        jdbc.update("update dsr_case set closed_at = ? where id = ?", Timestamp.from(Instant.now().minus(Duration.ofDays(1))), recent);
        jdbc.update("insert into quarantine (channel, reason, received_at, content) values ('EMAIL', 'retention fixture old', ?, ?)",
                Timestamp.from(Instant.now().minus(Duration.ofDays(31))), "From: maya.castillo@example.org".getBytes());
        jdbc.update("insert into quarantine (channel, reason, received_at, content) values ('EMAIL', 'retention fixture new', ?, ?)",
                Timestamp.from(Instant.now()), "From: someone@example.org".getBytes());

        assertThat(purge.purge()).isGreaterThanOrEqualTo(1);

        Map<String, Object> redacted = jdbc.queryForMap("select * from dsr_case where id = ?", old);
        assertThat(redacted.get("subject_email")).isEqualTo("redacted");
        assertThat(redacted.get("requester_email")).isEqualTo("redacted");
        assertThat(redacted.get("thread_message_id")).isNull();
        assertThat(redacted.get("redacted_at")).isNotNull();
        assertThat(redacted.get("state")).as("states and dates stay for the reports").isEqualTo("REPLIED");
        assertThat(redacted.get("received_at")).isNotNull();
        assertThat(jdbc.queryForList("select payload from outbox where case_id = ? and kind = 'MAIL'", String.class, old))
                .isNotEmpty().allMatch(p -> p.equals("{\"redacted\":true}"));
        assertThat(jdbc.queryForObject("select count(*) from verification where case_id = ?", Integer.class, old)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from dsr_case where id = ? and "
                + "cast(row_to_json(dsr_case) as text) like '%maya.castillo%'", Integer.class, old)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from outbox where cast(payload as text) like '%maya.castillo%'", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("select detail from audit_log where case_id = ? and action = 'case.redacted'", String.class, old))
                .contains("\"after\":\"PT2160H\"");

        assertThat(jdbc.queryForObject("select subject_email from dsr_case where id = ?", String.class, recent)).isEqualTo("felix.brandt@example.org");
        assertThat(jdbc.queryForObject("select count(*) from outbox where case_id = ? and payload like '%felix.brandt%'", Integer.class, recent))
                .isPositive();
        assertThat(jdbc.queryForObject("select subject_email from dsr_case where id = ?", String.class, open)).isEqualTo("leon.abara@example.org");
        assertThat(jdbc.queryForList("select reason from quarantine where reason like 'retention fixture%'", String.class))
                .containsExactly("retention fixture new");

        assertThat(purge.purge()).as("a second sweep finds nothing more of it").isZero();
        assertThat(jdbc.queryForObject("select count(*) from audit_log where case_id = ? and action = 'case.redacted'", Integer.class, old)).isEqualTo(1);
        assertThat(audit.verify().intact()).isTrue();
    }

    private String answered(Http http, Mailbox mailbox, String person) throws Exception {
        String reference = http.postJson("/api/requests", "{\"type\":\"ACCESS\",\"email\":\"" + person + "\",\"language\":\"en\"}")
                .json().path("reference").asText();
        Mailbox.Mail code = mailbox.await(person, m -> m.subject().contains(reference), WAIT);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b(\\d{6})\\b").matcher(code.body());
        assertThat(m.find()).isTrue();
        http.postJson("/api/requests/" + reference + "/verification", "{\"code\":\"" + m.group(1) + "\"}");
        http.awaitState(reference, "REPLIED");
        return reference;
    }
}
