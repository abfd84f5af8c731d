package org.dsrflow.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.dsrflow.cases.CaseStore;
import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Http;
import org.dsrflow.support.Mailbox;
import org.dsrflow.support.StaffSession;
import org.junit.jupiter.api.Test;
import org.apache.catalina.Manager;
import org.apache.catalina.Session;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** The console's API as staff use it: sign-in, roles, CSRF, the views and the actions with their audit. */
class ConsoleTests extends EmbeddedStackTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PASSWORD = "demo-only-password";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CaseStore cases;
    @Autowired
    ServletWebServerApplicationContext web;

    /**
     * A console session ends after 30 minutes without a request. The test shortens the idle time
     * of its own session on the running server (waiting 30 minutes would not do) and shows that the
     * next request is refused, and that signing in again works.
     */
    @Test
    void anIdleSessionExpires() throws Exception {
        StaffSession agent = new StaffSession(port);
        agent.signIn("agent", PASSWORD);
        assertThat(agent.get("/api/console/me").status()).isEqualTo(200);
        String id = agent.cookie("JSESSIONID");
        assertThat(id).isNotEmpty();
        Manager sessions = ((org.apache.catalina.Context) ((TomcatWebServer) web.getWebServer()).getTomcat().getHost().findChildren()[0])
                .getManager();
        Session session = sessions.findSession(id);
        assertThat(session).as("the signed-in session lives on the server").isNotNull();
        assertThat(session.getMaxInactiveInterval()).as("the configured idle timeout, in seconds").isEqualTo(30 * 60);

        session.setMaxInactiveInterval(1);
        Thread.sleep(2100);
        Http.Reply expired = agent.get("/api/console/me");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().path("error").asText()).isEqualTo("unauthorized");
        assertThat(sessions.findSession(id)).as("the expired session is gone").isNull();

        agent.signIn("agent", PASSWORD);
        assertThat(agent.get("/api/console/me").status()).isEqualTo(200);
    }

    @Test
    void theConsoleNeedsASignInAndEachRoleOnlyItsPart() throws Exception {
        Http anonymous = new Http(port);
        Http.Reply refused = anonymous.get("/api/console/overview");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().path("error").asText()).isEqualTo("unauthorized");
        assertThat(anonymous.get("/api/console/report.csv?from=2026-01-01&to=2026-01-31").status()).isEqualTo(401);
        Http.Reply page = new StaffSession(port).get("/console/");
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElse("")).endsWith("/login");

        StaffSession intruder = new StaffSession(port);
        Http.Reply wrong = intruder.signIn("agent", "not-the-password");
        assertThat(wrong.headers().firstValue("Location").orElse("")).endsWith("/login?error");
        assertThat(intruder.get("/api/console/me").status()).isEqualTo(401);
        assertThat(new StaffSession(port).signIn("nobody", PASSWORD).headers().firstValue("Location").orElse("")).endsWith("/login?error");

        String reference = request("noah.hayes@example.org", "en");
        StaffSession manager = new StaffSession(port);
        assertThat(manager.signIn("manager", PASSWORD).headers().firstValue("Location").orElse("")).endsWith("/console/");
        assertThat(manager.get("/api/console/me").json().path("roles").toString()).isEqualTo("[\"manager\"]");
        assertThat(manager.get("/api/console/overview").status()).isEqualTo(200);
        assertThat(manager.get("/api/console/cases/" + reference).status()).isEqualTo(200);
        Http.Reply managerActs = manager.postJson("/api/console/cases/" + reference + "/actions/reject", "{\"reason\":\"spam\"}");
        assertThat(managerActs.status()).as("managers read; agents act").isEqualTo(403);
        assertThat(managerActs.json().path("message").asText()).contains("role");
        assertThat(manager.get("/api/console/report.csv?from=2026-01-01&to=2026-01-31").status()).isEqualTo(200);

        StaffSession agent = new StaffSession(port);
        agent.signIn("agent", PASSWORD);
        assertThat(agent.get("/api/console/report.csv?from=2026-01-01&to=2026-01-31").status()).isEqualTo(403);
        assertThat(agent.get("/api/connectors").status()).isEqualTo(200);
        Http.Reply forged = agent.postJsonWithoutCsrf("/api/console/cases/" + reference + "/actions/reject", "{\"reason\":\"forged\"}");
        assertThat(forged.status()).as("a change without the CSRF token is refused").isEqualTo(403);
        assertThat(cases.get(reference).state().name()).isEqualTo("AWAITING_VERIFICATION");

        Http.Reply consolePage = agent.get("/console/");
        assertThat(consolePage.status()).isEqualTo(200);
        assertThat(consolePage.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'")
                .contains("frame-ancestors 'none'");
        assertThat(consolePage.headers().firstValue("X-Frame-Options").orElse("")).isEqualTo("DENY");
        assertThat(consolePage.body()).as("the sign-out form carries the CSRF token").contains("value=\"" + agent.xsrf() + "\"");

        StaffSession admin = new StaffSession(port);
        admin.signIn("admin", PASSWORD);
        assertThat(admin.get("/api/console/report.csv?from=2026-01-01&to=2026-01-31").status()).isEqualTo(200);
        assertThat(admin.get("/api/audit/verify").json().path("intact").asBoolean()).isTrue();

        assertThat(agent.form("/logout", "_csrf=" + agent.xsrf()).status()).isEqualTo(302);
        assertThat(agent.get("/api/console/me").status()).as("signed out").isEqualTo(401);
    }

    @Test
    void anAgentRejectsARequestWithAReasonAndThePersonIsToldInTheirLanguage() throws Exception {
        String person = "lu.xiaoyan@example.cn";
        String reference = request(person, "zh");
        StaffSession agent = new StaffSession(port);
        agent.signIn("agent", PASSWORD);
        String path = "/api/console/cases/" + reference + "/actions/reject";
        assertThat(agent.postJson(path, "{}").status()).as("no reason").isEqualTo(400);
        assertThat(agent.postJson(path, "{\"reason\":\"" + "x".repeat(1001) + "\"}").status()).isEqualTo(400);
        String reason = "该邮箱地址与任何账户均不对应，且请求内容重复提交超过十次。";
        Http.Reply rejected = agent.postJson(path, "{\"reason\":\"" + reason + "\"}");
        assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
        assertThat(rejected.json().path("state").asText()).isEqualTo("REJECTED");
        assertThat(agent.postJson(path, "{\"reason\":\"again\"}").status()).as("closed already").isEqualTo(409);

        Mailbox.Mail told = new Mailbox(imapPort).await(person, m -> m.subject().contains("未能受理"), WAIT);
        assertThat(told.subject()).contains(reference);
        assertThat(told.body()).contains(reason);
        assertThat(jdbc.queryForList("select actor || ' ' || (detail::json ->> 'reason') from audit_log where case_id = ? "
                + "and action = 'case.transition' and detail like '%REJECTED%'", String.class, reference))
                .containsExactly("operator:agent " + reason);
    }

    @Test
    void anAgentResendsAMailAsANewMessageInTheSameThread() throws Exception {
        String person = "owen.fletcher@example.org";
        String reference = request(person, "en");
        Mailbox mailbox = new Mailbox(imapPort);
        Mailbox.Mail first = mailbox.await(person, m -> m.subject().contains(reference), WAIT);
        StaffSession agent = new StaffSession(port);
        agent.signIn("agent", PASSWORD);
        // the outbox marks the mail sent just after the server took it
        long mail = awaitSentMail(agent, reference);

        Http.Reply resent = agent.postJson("/api/console/cases/" + reference + "/actions/resend-mail",
                "{\"mail\":" + mail + ",\"reason\":\"The person says the code never arrived.\"}");
        assertThat(resent.status()).as(resent.body()).isEqualTo(200);
        assertThat(agent.postJson("/api/console/cases/" + reference + "/actions/resend-mail", "{\"mail\":999999999,\"reason\":\"x\"}").status())
                .isEqualTo(404);
        Instant until = Instant.now().plus(WAIT);
        List<Mailbox.Mail> both;
        do {
            both = mailbox.read(person).stream().filter(m -> m.subject().equals(first.subject())).toList();
            Thread.sleep(200);
        } while (both.size() < 2 && Instant.now().isBefore(until));
        assertThat(both).hasSize(2);
        Mailbox.Mail again = both.stream().filter(m -> !m.messageId().equals(first.messageId())).findFirst().orElseThrow();
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.inReplyTo()).isEqualTo(first.messageId());
        assertThat(jdbc.queryForObject("select actor || ' ' || (detail::json ->> 'reason') from audit_log where case_id = ? and action = 'mail.resent'",
                String.class, reference)).isEqualTo("operator:agent The person says the code never arrived.");
    }

    @Test
    void theCaseListFiltersAndCountsDaysLeftAndTheCasePageShowsTheTimeline() throws Exception {
        String late = request("ines.moreau@example.org", "en");
        String soon = request("tariq.haddad@example.org", "en");
        // fixtures: one request overdue by an hour, one due in two and a half days
        jdbc.update("update dsr_case set due_at = ? where id = ?", Timestamp.from(Instant.now().minus(Duration.ofHours(1))), late);
        jdbc.update("update dsr_case set due_at = ? where id = ?", Timestamp.from(Instant.now().plus(Duration.ofHours(60))), soon);
        StaffSession manager = new StaffSession(port);
        manager.signIn("manager", PASSWORD);

        var overdue = manager.get("/api/console/cases?due=overdue&limit=500").json().path("cases");
        assertThat(refs(overdue)).contains(late).doesNotContain(soon);
        assertThat(row(overdue, late).path("daysLeft").asLong()).isEqualTo(-1);
        var within3 = manager.get("/api/console/cases?due=3&type=DELETION&limit=500").json().path("cases");
        assertThat(refs(within3)).contains(soon).doesNotContain(late);
        assertThat(row(within3, soon).path("daysLeft").asLong()).isEqualTo(2);
        assertThat(refs(manager.get("/api/console/cases?due=3&type=ACCESS&limit=500").json().path("cases"))).doesNotContain(soon);
        assertThat(refs(manager.get("/api/console/cases?channel=EMAIL&limit=500").json().path("cases"))).doesNotContain(soon, late);
        assertThat(refs(manager.get("/api/console/cases?reference=" + soon.substring(0, 20)).json().path("cases"))).contains(soon);
        assertThat(manager.get("/api/console/cases?state=SLEEPING").status()).isEqualTo(400);
        assertThat(manager.get("/api/console/cases?due=tomorrow").status()).isEqualTo(400);
        assertThat(manager.get("/api/console/cases?system=x%27%3Bdrop").status()).isEqualTo(400);

        var overview = manager.get("/api/console/overview").json();
        assertThat(overview.path("overdue").asLong()).isPositive();
        assertThat(overview.path("dueWithin3Days").asLong()).isPositive();
        assertThat(overview.path("open").asLong()).isGreaterThanOrEqualTo(overview.path("overdue").asLong() + overview.path("dueWithin3Days").asLong());
        assertThat(overview.path("volume").path("weeks")).hasSize(12);
        long webThisWeek = overview.path("volume").path("channel").path("WEB").get(11).asLong();
        assertThat(webThisWeek).as("this week's web requests include the two made here").isGreaterThanOrEqualTo(2);

        var detail = manager.get("/api/console/cases/" + soon).json();
        assertThat(detail.path("state").asText()).isEqualTo("AWAITING_VERIFICATION");
        assertThat(detail.path("subject").asText()).isEqualTo("tariq.haddad@example.org");
        List<String> actions = new java.util.ArrayList<>();
        detail.path("timeline").forEach(e -> actions.add(e.path("action").asText()));
        assertThat(actions).contains("case.received");
        assertThat(manager.get("/api/console/cases/01ARZ3NDEKTSV4RRFFQ69G5FAV").status()).isEqualTo(404);
        assertThat(manager.get("/api/console/cases/nonsense").status()).isEqualTo(404);
    }

    @Test
    void theRegulatorReportCountsAPeriodByTypeAndChannel() throws Exception {
        // fixtures in a closed past month, so that no other test's requests fall in it
        insert("01BX5ZZKBKACTAV9WEVGEMMVR1", "ACCESS", "WEB", "REPLIED", "2020-01-03T02:00:00Z", "2020-01-05T02:00:00Z", "2020-01-18T15:59:59Z");
        insert("01BX5ZZKBKACTAV9WEVGEMMVR2", "ACCESS", "WEB", "REPLIED", "2020-01-10T02:00:00Z", "2020-01-14T02:00:00Z", "2020-01-25T15:59:59Z");
        insert("01BX5ZZKBKACTAV9WEVGEMMVR3", "DELETION", "EMAIL", "REPLIED", "2020-01-02T02:00:00Z", "2020-01-22T02:00:00Z", "2020-01-17T15:59:59Z");
        insert("01BX5ZZKBKACTAV9WEVGEMMVR4", "ACCESS", "TICKET", "REJECTED", "2020-01-06T02:00:00Z", "2020-01-07T02:00:00Z", null);
        insert("01BX5ZZKBKACTAV9WEVGEMMVR5", "ACCESS", "WEB", "DUPLICATE", "2020-01-06T02:00:00Z", "2020-01-06T02:00:00Z", null);
        StaffSession manager = new StaffSession(port);
        manager.signIn("manager", PASSWORD);
        Http.Reply csv = manager.get("/api/console/report.csv?from=2020-01-01&to=2020-01-31");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).contains("2020-01-01-to-2020-01-31");
        List<String> lines = List.of(csv.body().split("\r\n"));
        assertThat(lines.get(0)).isEqualTo(RegulatorReport.HEADER);
        // received, fulfilled, denied, in time, median and mean days
        assertThat(lines).contains("2020-01-01,2020-01-31,ACCESS,WEB,2,2,0,2,3.0,3.0",
                "2020-01-01,2020-01-31,ACCESS,TICKET,1,0,1,0,,",
                "2020-01-01,2020-01-31,ACCESS,EMAIL,0,0,0,0,,",
                "2020-01-01,2020-01-31,ACCESS,ALL,3,2,1,2,3.0,3.0",
                "2020-01-01,2020-01-31,DELETION,EMAIL,1,1,0,0,20.0,20.0",
                "2020-01-01,2020-01-31,ALL,ALL,4,3,1,2,4.0,8.7");
        assertThat(lines).hasSize(1 + 3 * 5 + 1);
        Http.Reply before = manager.get("/api/console/report.csv?from=2019-12-01&to=2019-12-31");
        assertThat(before.body()).contains("2019-12-01,2019-12-31,ALL,ALL,0,0,0,0,,");
        assertThat(manager.get("/api/console/report.csv?from=2020-02-01&to=2020-01-01").status()).isEqualTo(400);
        assertThat(manager.get("/api/console/report.csv?from=yesterday&to=2020-01-01").status()).isEqualTo(400);
    }

    private void insert(String id, String type, String channel, String state, String received, String closed, String due) {
        jdbc.update("insert into dsr_case (id, type, channel, state, subject_email, requester_email, language, received_at, closed_at, due_at, "
                        + "policy) values (?,?,?,?,?,?,?,?,?,?,'cn-15') on conflict (id) do nothing", id, type, channel, state, "report.fixture@example.org",
                "report.fixture@example.org", "en", Timestamp.from(Instant.parse(received)), Timestamp.from(Instant.parse(closed)),
                due == null ? null : Timestamp.from(Instant.parse(due)));
    }

    private long awaitSentMail(StaffSession agent, String reference) throws Exception {
        Instant until = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(until)) {
            for (var m : agent.get("/api/console/cases/" + reference).json().path("mails")) {
                if (!m.path("sentAt").isNull()) {
                    return m.path("id").asLong();
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no mail of " + reference + " was sent");
    }

    private String request(String person, String language) throws Exception {
        Http.Reply created = new Http(port).postJson("/api/requests",
                "{\"type\":\"DELETION\",\"email\":\"" + person + "\",\"language\":\"" + language + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("reference").asText();
    }

    private static List<String> refs(com.fasterxml.jackson.databind.JsonNode list) {
        List<String> out = new java.util.ArrayList<>();
        list.forEach(c -> out.add(c.path("reference").asText()));
        return out;
    }

    private static com.fasterxml.jackson.databind.JsonNode row(com.fasterxml.jackson.databind.JsonNode list, String reference) {
        for (var c : list) {
            if (c.path("reference").asText().equals(reference)) {
                return c;
            }
        }
        throw new AssertionError(reference + " not listed");
    }
}
