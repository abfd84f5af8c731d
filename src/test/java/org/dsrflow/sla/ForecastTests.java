package org.dsrflow.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.dsrflow.connector.ConnectorRegistry;
import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Http;
import org.dsrflow.support.Mailbox;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The forecast: expected completion is now plus the slowest expected answer among the systems yet
 * to answer (the demo's notifications service answers within 10 minutes by its file); a case that
 * cannot make its due date is flagged at risk to managers at once, and once per due date.
 */
class ForecastTests extends EmbeddedStackTest {
    @Autowired
    Forecast forecast;
    @Autowired
    ConnectorRegistry connectors;
    @Autowired
    JdbcTemplate caseStore;

    @Test
    void aCaseThatCannotMakeItsDueDateIsFlaggedAtRiskOnce() throws Exception {
        assertThat(connectors.expectedAnswer("notifications")).isEqualTo(Duration.ofMinutes(10));
        assertThat(connectors.expectedAnswer("billing")).isEqualTo(Duration.ofMinutes(1));
        Http http = new Http(port);
        String tight = open(http, "forecast-tight-" + System.nanoTime() + "@example.org", "5 minutes");
        String roomy = open(http, "forecast-roomy-" + System.nanoTime() + "@example.org", "15 days");

        Instant expected = forecast.assess(tight);
        assertThat(expected).isBetween(Instant.now().plus(Duration.ofMinutes(9)), Instant.now().plus(Duration.ofMinutes(11)));
        forecast.assess(tight);
        forecast.assess(roomy);
        assertThat(atRisk(tight)).isEqualTo(1);
        assertThat(atRisk(roomy)).isZero();
        Mailbox.Mail mail = new Mailbox(imapPort).await("privacy-managers@example.com",
                m -> m.subject().contains(tight) && m.body().contains("at-risk"), Duration.ofSeconds(30));
        assertThat(mail.subject()).contains("AT RISK");
        assertThat(mail.body()).contains("expected to take longer than the time left", "Waiting on:");
        assertThat(caseStore.queryForObject("select count(*) from outbox where case_id = ? and kind = 'EVENT' and payload like ?",
                Integer.class, tight, "%\"at-risk\"%")).isEqualTo(1);
    }

    private String open(Http http, String email, String dueIn) throws Exception {
        String reference = http.postJson("/api/requests", "{\"type\":\"ACCESS\",\"email\":\"" + email + "\",\"language\":\"en\"}")
                .json().path("reference").asText();
        caseStore.update("update dsr_case set due_at = now() + cast(? as interval) where id = ?", dueIn, reference);
        return reference;
    }

    private int atRisk(String caseId) {
        return caseStore.queryForObject("select count(*) from sla_notice where case_id = ? and point = 'at-risk'", Integer.class, caseId);
    }
}
