package org.dsrflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dsrflow.embedded.EmbeddedPostgresServer;
import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Http;
import org.dsrflow.support.Mailbox;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A connected system that breaks during the fan-out: the case waits, naming the system, and
 * resumes when the system is back — running that system alone again and replying exactly once.
 */
class SystemOutageTests extends EmbeddedStackTest {
    @Autowired
    EmbeddedPostgresServer postgres;
    @Autowired
    JdbcTemplate caseStore;

    @Test
    void aFailingSystemHoldsTheCaseAndOnlyThatSystemRunsAgainWhenItReturns() throws Exception {
        String person = "oliver.turner@example.net";
        Http http = new Http(port);
        Mailbox mailbox = new Mailbox(imapPort);
        JdbcTemplate crm = new JdbcTemplate(postgres.dataSource("crm"));

        Http.Reply submitted = http.postJson("/api/requests", "{\"type\":\"ACCESS\",\"email\":\"" + person + "\",\"language\":\"en\"}");
        String reference = submitted.json().path("reference").asText();
        Mailbox.Mail verification = mailbox.await(person, m -> m.subject().contains(reference), Duration.ofSeconds(30));

        crm.execute("alter table call_notes rename to call_notes_offline");
        try {
            http.postJson("/api/requests/" + reference + "/verification", "{\"code\":\"" + code(verification.body()) + "\"}");
            http.awaitState(reference, "NEEDS_ATTENTION");
            Map<String, Map<String, Object>> tasks = tasks(reference);
            assertThat(tasks.get("crm")).containsEntry("state", "FAILED");
            assertThat((String) tasks.get("crm").get("error")).contains("call_notes");
            assertThat(tasks.get("billing")).containsEntry("state", "DONE").containsEntry("attempts", 1);
            assertThat(tasks.get("logs")).containsEntry("state", "DONE").containsEntry("attempts", 1);
            assertThat(caseStore.queryForObject("select reason from case_transition where case_id = ? and to_state = 'NEEDS_ATTENTION' "
                    + "order by id limit 1", String.class, reference)).startsWith("systems not finished: crm");
            assertThat(mailbox.read(person)).as("no reply while a system is missing").hasSize(1);

            // the operators see which system is down, why, and its last error
            com.fasterxml.jackson.databind.JsonNode down = awaitSystem(http, "crm", "DOWN");
            assertThat(down.path("health").path("problems").toString()).contains("call_notes");
            assertThat(down.path("lastError").path("message").asText()).contains("call_notes");
            assertThat(down.path("lastError").path("case").asText()).isEqualTo(reference);
            // and the managers' overview lists it among the systems with failures
            org.dsrflow.support.StaffSession manager = new org.dsrflow.support.StaffSession(port);
            manager.signIn("manager", "demo-only-password");
            assertThat(manager.get("/api/console/overview").json().path("systemsWithFailures").findValuesAsText("system")).contains("crm");
        } finally {
            crm.execute("alter table call_notes_offline rename to call_notes");
        }
        assertThat(awaitSystem(http, "crm", "UP").path("health").path("problems")).isEmpty();
        Http.Reply anonymous = http.get("/api/connectors");
        assertThat(anonymous.status()).as("for operators only").isEqualTo(401);

        // a missing table is a permanent error: the system is not asked again until an operator says so
        Thread.sleep(3000);
        assertThat(http.get("/api/requests/" + reference).json().path("state").asText()).isEqualTo("NEEDS_ATTENTION");
        assertThat(tasks(reference).get("crm")).containsEntry("attempts", 1).containsEntry("retriable", false);
        assertThat(retry(http, reference, "{\"system\":\"billing\"}").status()).as("billing did not fail").isEqualTo(404);
        // an agent retries it from the console, saying why
        org.dsrflow.support.StaffSession agent = new org.dsrflow.support.StaffSession(port);
        agent.signIn("agent", "demo-only-password");
        assertThat(agent.postJson("/api/console/cases/" + reference + "/actions/retry", "{\"system\":\"crm\"}").status())
                .as("no reason").isEqualTo(400);
        Http.Reply retried = agent.postJson("/api/console/cases/" + reference + "/actions/retry",
                "{\"system\":\"crm\",\"reason\":\"call_notes table restored by the CRM team\"}");
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        assertThat(retried.json().path("retrying").toString()).isEqualTo("[\"crm\"]");
        assertThat(caseStore.queryForObject("select actor || ' ' || (detail::json ->> 'reason') from audit_log where case_id = ? "
                + "and action = 'fulfilment.retry-requested'", String.class, reference))
                .isEqualTo("operator:agent call_notes table restored by the CRM team");

        http.awaitState(reference, "REPLIED");
        Map<String, Map<String, Object>> tasks = tasks(reference);
        assertThat(tasks.get("crm")).containsEntry("state", "DONE");
        // the failure and the later success are both in the audit log, in that order
        List<String> crmEntries = caseStore.queryForList("select action || ' ' || coalesce(detail::json ->> 'retriable', '-') from audit_log "
                + "where case_id = ? and action in ('task.failed', 'task.done') and detail::json ->> 'system' = 'crm' order by seq",
                String.class, reference);
        assertThat(crmEntries).startsWith("task.failed false").endsWith("task.done -").containsOnlyOnce("task.done -");
        assertThat((Integer) tasks.get("crm").get("attempts")).isGreaterThanOrEqualTo(2);
        assertThat(tasks.get("billing")).as("a finished system is never asked again").containsEntry("attempts", 1);
        assertThat(tasks.get("logs")).containsEntry("attempts", 1);
        assertThat(tasks.get("notifications")).as("the remote system answered once, while crm was down")
                .containsEntry("state", "DONE").containsEntry("attempts", 1);

        Mailbox.Mail reply = mailbox.await(person, m -> m.subject().startsWith("Your personal data"), Duration.ofSeconds(30));
        assertThat(reply.body()).contains("crm: ");
        Thread.sleep(1500); // a second reply, if one were queued, would be delivered within this time
        assertThat(mailbox.read(person)).extracting(Mailbox.Mail::subject).filteredOn(s -> s.startsWith("Your personal data")).hasSize(1);
    }

    @Test
    void aSystemThatDoesNotAnswerIsAbandonedAfterItsTimeoutAndAskedAgainLater() throws Exception {
        String person = "isla.lloyd@example.com";
        Http http = new Http(port);
        Mailbox mailbox = new Mailbox(imapPort);
        Http.Reply submitted = http.postJson("/api/requests", "{\"type\":\"ACCESS\",\"email\":\"" + person + "\",\"language\":\"en\"}");
        String reference = submitted.json().path("reference").asText();
        Mailbox.Mail verification = mailbox.await(person, m -> m.subject().contains(reference), Duration.ofSeconds(30));

        // a transaction holding an exclusive lock makes every read of the table wait: crm hangs
        try (java.sql.Connection hold = postgres.dataSource("crm").getConnection()) {
            hold.setAutoCommit(false);
            hold.createStatement().execute("lock table call_notes in access exclusive mode");
            http.postJson("/api/requests/" + reference + "/verification", "{\"code\":\"" + code(verification.body()) + "\"}");
            http.awaitState(reference, "NEEDS_ATTENTION");
            Map<String, Map<String, Object>> tasks = tasks(reference);
            assertThat((String) tasks.get("crm").get("error")).contains("no answer within 3 s");
            assertThat(tasks.get("billing")).containsEntry("state", "DONE");
            hold.rollback();
        }
        http.awaitState(reference, "REPLIED");
        assertThat(tasks(reference).get("billing")).as("the others are not asked again").containsEntry("attempts", 1);
    }

    private static Http.Reply retry(Http http, String reference, String body) throws Exception {
        return http.post("/api/requests/" + reference + "/retry", body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "Authorization", "Bearer demo-only-operator-token", "X-Dsrflow-Operator", "ops.test");
    }

    /** Waits until GET /api/connectors shows the system with that status; returns its entry. */
    private static com.fasterxml.jackson.databind.JsonNode awaitSystem(Http http, String system, String status) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        com.fasterxml.jackson.databind.JsonNode entry = null;
        while (Instant.now().isBefore(deadline)) {
            Http.Reply r = http.getWithHeaders("/api/connectors", "Authorization", "Bearer demo-only-operator-token",
                    "X-Dsrflow-Operator", "ops.test");
            assertThat(r.status()).isEqualTo(200);
            for (com.fasterxml.jackson.databind.JsonNode s : r.json()) {
                if (s.path("system").asText().equals(system)) {
                    entry = s;
                }
            }
            if (entry != null && entry.path("health").path("status").asText().equals(status)) {
                return entry;
            }
            Thread.sleep(300);
        }
        throw new AssertionError(system + " never became " + status + ": " + entry);
    }

    private Map<String, Map<String, Object>> tasks(String reference) {
        Map<String, Map<String, Object>> bySystem = new java.util.HashMap<>();
        for (Map<String, Object> row : caseStore.queryForList("select system, state, attempts, error, retriable from connector_task where case_id = ?",
                reference)) {
            bySystem.put((String) row.get("system"), row);
        }
        return bySystem;
    }

    private static String code(String body) {
        Matcher m = Pattern.compile("\\b(\\d{6})\\b").matcher(body);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

}
