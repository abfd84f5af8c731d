package org.dsrflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.dsrflow.cases.CaseStore;
import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Http;
import org.dsrflow.support.Mailbox;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Support staff extend a deadline as far as the case's policy allows; the requester is told why and until when. */
class DeadlineExtensionTests extends EmbeddedStackTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    private static final String TOKEN = "demo-only-operator-token";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CaseStore cases;
    @Autowired
    TransactionTemplate tx;

    @Test
    void aGdprCaseIsExtendedTwoMonthsAtMostAndThePersonIsToldWhy() throws Exception {
        Http http = new Http(port);
        Mailbox mailbox = new Mailbox(imapPort);
        String person = "amelia.hughes@example.org";
        Http.Reply created = http.postJson("/api/requests", "{\"type\":\"DELETION\",\"email\":\"" + person + "\",\"language\":\"en\"}");
        assertThat(created.status()).isEqualTo(201);
        String reference = created.json().path("reference").asText();
        Mailbox.Mail verification = mailbox.await(person, m -> m.subject().contains(reference), WAIT);
        assertThat(verification.body()).contains("Once you confirm, we will reply within 15 days.");
        assertThat(http.get("/api/requests/" + reference).json().path("policy").asText()).isEqualTo("cn-15");
        assertThat(extend(http, reference, "{\"amount\":5,\"reason\":\"Archive on tape\"}", TOKEN).json().path("error").asText())
                .as("cn-15 counts from verification: nothing to extend yet").isEqualTo("clock_not_started");

        // The demo has no region rule that applies to this address, so the case is put under gdpr here,
        // as a region rule would have done at receipt.
        tx.executeWithoutResult(s -> {
            jdbc.update("update dsr_case set policy = 'gdpr' where id = ?", reference);
            cases.refreshDue(reference);
        });
        Instant received = cases.get(reference).receivedAt();
        Instant oneMonth = endOfDay(received.atZone(BEIJING).toLocalDate().plusMonths(1));
        assertThat(cases.get(reference).dueAt()).isEqualTo(oneMonth);

        assertThat(extend(http, reference, "{\"amount\":2,\"reason\":\"x\"}", "wrong-token").status()).isEqualTo(401);
        assertThat(extend(http, reference, "{\"amount\":2}", TOKEN).status()).as("no reason").isEqualTo(400);
        assertThat(extend(http, reference, "{\"amount\":2,\"unit\":\"WEEKS\",\"reason\":\"x\"}", TOKEN).status()).isEqualTo(400);
        assertThat(cases.get(reference).dueAt()).as("nothing refused changed the date").isEqualTo(oneMonth);

        String reason = "Your records are spread over an archive we must restore first.";
        Http.Reply extended = extend(http, reference, "{\"amount\":2,\"unit\":\"months\",\"reason\":\"" + reason + "\"}", TOKEN);
        assertThat(extended.status()).as(extended.body()).isEqualTo(200);
        Instant threeMonths = endOfDay(received.atZone(BEIJING).toLocalDate().plusMonths(3));
        assertThat(Instant.parse(extended.json().path("dueAt").asText())).isEqualTo(threeMonths);

        Http.Reply more = extend(http, reference, "{\"amount\":1,\"reason\":\"still more\"}", TOKEN);
        assertThat(more.status()).isEqualTo(409);
        assertThat(more.json().path("message").asText()).contains("at most 2 months");

        Mailbox.Mail notice = mailbox.await(person, m -> m.subject().startsWith("More time for your privacy request " + reference), WAIT);
        assertThat(notice.body()).contains(reason).contains("by 2 months");
        assertThat(notice.inReplyTo()).isEqualTo(verification.messageId());
        assertThat(jdbc.queryForList("select actor from audit_log where case_id = ? and action = 'deadline.extended'", String.class, reference))
                .containsExactly("operator:mei.lin");
    }

    private Http.Reply extend(Http http, String reference, String body, String token) throws Exception {
        return http.post("/api/requests/" + reference + "/extension", body.getBytes(StandardCharsets.UTF_8),
                "Authorization", "Bearer " + token, "X-Dsrflow-Operator", "mei.lin");
    }

    private static Instant endOfDay(java.time.LocalDate day) {
        return day.atTime(23, 59, 59).atZone(BEIJING).toInstant();
    }
}
