package org.dsrflow.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Http;
import org.dsrflow.support.Mailbox;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The deadline metrics follow the case store: counts by state, due soon, overdue; times as cases move; per-system calls. */
class SlaMetricsTests extends EmbeddedStackTest {
    @Autowired
    MeterRegistry registry;
    @Autowired
    SlaMetrics metrics;
    @Autowired
    JdbcTemplate caseStore;

    @Test
    void countsAndTimesFollowTheCases() throws Exception {
        Http http = new Http(port);
        String overdue = http.postJson("/api/requests", "{\"type\":\"ACCESS\",\"email\":\"metrics-late-" + System.nanoTime()
                + "@example.org\",\"language\":\"en\"}").json().path("reference").asText();
        caseStore.update("update dsr_case set due_at = now() - interval '1 day' where id = ?", overdue);
        String soon = http.postJson("/api/requests", "{\"type\":\"ACCESS\",\"email\":\"metrics-soon-" + System.nanoTime()
                + "@example.org\",\"language\":\"en\"}").json().path("reference").asText();
        caseStore.update("update dsr_case set due_at = now() + interval '2 days' where id = ?", soon);

        Thread.sleep(16_000); // the counts are read at most every 15 s: the next gauge read refreshes them
        double overdueGauge = registry.get("dsrflow.cases.overdue").gauge().value();
        double dueSoon = registry.get("dsrflow.cases.due.soon").gauge().value();
        double unverified = registry.get("dsrflow.cases").tag("state", "AWAITING_VERIFICATION").gauge().value();
        assertThat(overdueGauge).isEqualTo((double) count("due_at < now()")).isPositive();
        assertThat(dueSoon).isEqualTo((double) count("due_at >= now() and due_at < now() + interval '3 days'")).isPositive();
        assertThat(unverified).isEqualTo((double) caseStore.queryForObject("select count(*) from dsr_case where state = "
                + "'AWAITING_VERIFICATION'", Long.class));

        // a request answered: time to close, time in each stage, and the systems' calls are recorded
        String person = "lucas.bennett@example.net";
        String reference = http.postJson("/api/requests", "{\"type\":\"ACCESS\",\"email\":\"" + person + "\",\"language\":\"en\"}")
                .json().path("reference").asText();
        Mailbox.Mail mail = new Mailbox(imapPort).await(person, m -> m.subject().contains(reference), Duration.ofSeconds(30));
        java.util.regex.Matcher code = java.util.regex.Pattern.compile("\\b(\\d{6})\\b").matcher(mail.body());
        assertThat(code.find()).isTrue();
        http.postJson("/api/requests/" + reference + "/verification", "{\"code\":\"" + code.group(1) + "\"}");
        http.awaitState(reference, "REPLIED");
        Thread.sleep(500);
        Timer close = registry.get("dsrflow.case.time.to.close").tag("type", "ACCESS").timer();
        assertThat(close.count()).isPositive();
        assertThat(registry.get("dsrflow.case.stage").tag("stage", "AWAITING_VERIFICATION").timer().count()).isPositive();
        assertThat(registry.get("dsrflow.system.task").tag("system", "billing").timer().count()).isPositive();
        assertThat(registry.get("dsrflow.system.task").tag("system", "notifications").tag("outcome", "SENT").timer().count()).isPositive();
    }

    private long count(String condition) {
        return caseStore.queryForObject("select count(*) from dsr_case where state not in "
                + "('FULFILLED','REPLIED','REJECTED','DUPLICATE','WITHDRAWN') and due_at is not null and " + condition, Long.class);
    }
}
