package org.dsrflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.dsrflow.DsrflowApplication;
import org.dsrflow.embedded.EmbeddedPostgresServer;
import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Http;
import org.dsrflow.support.MailDrop;
import org.dsrflow.support.Mailbox;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two dsrflow instances on one PostgreSQL, one Kafka and one mail server: the test's application
 * (instance A, which also hosts the servers and the demo systems) and a second one started here
 * (instance B) with everything embedded switched off and pointed at A's servers. Requests come in
 * through both; the proof is in the case store and the mailbox: every system asked once per case,
 * every case replied to once, one instance reads the mailbox; and with A's fan-out paused, B answers a
 * case on its own.
 */
class TwoInstancesTests extends EmbeddedStackTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int REQUESTS = 12;

    @Autowired
    EmbeddedPostgresServer postgres;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Leadership leadershipA;
    @Autowired
    org.apache.camel.CamelContext camelA;
    @Value("${dsrflow.demo.helpdesk.port}")
    int helpdeskPort;

    @Test
    void twoInstancesShareTheWorkAndNoCaseIsProcessedTwice() throws Exception {
        try (ConfigurableApplicationContext b = startSecondInstance()) {
            int portB = ((WebServerApplicationContext) b).getWebServer().getPort();
            Http[] instances = {new Http(port), new Http(portB)};
            Mailbox mailbox = new Mailbox(imapPort);

            List<String> references = new ArrayList<>();
            List<String> people = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                String person = "pair" + i + ".tester@example.org";
                Http.Reply created = instances[i % 2].postJson("/api/requests",
                        "{\"type\":\"ACCESS\",\"email\":\"" + person + "\",\"language\":\"en\"}");
                assertThat(created.status()).as(created.body()).isEqualTo(201);
                references.add(created.json().path("reference").asText());
                people.add(person);
            }
            for (int i = 0; i < REQUESTS; i++) {
                String reference = references.get(i);
                Mailbox.Mail code = mailbox.await(people.get(i), m -> m.subject().contains(reference), WAIT);
                // confirmed through the other instance than the one that took the request
                Http.Reply verified = instances[(i + 1) % 2].postJson("/api/requests/" + reference + "/verification",
                        "{\"code\":\"" + group("\\b(\\d{6})\\b", code.body()) + "\"}");
                assertThat(verified.status()).as(verified.body()).isEqualTo(200);
            }
            // mail requests, read by whichever instance leads the mailbox
            MailDrop drop = new MailDrop(smtpPort, imapPort);
            for (int i = 0; i < 4; i++) {
                drop.send("From: pairmail" + i + ".tester@example.org\r\nTo: " + MailDrop.PRIVACY + "\r\nSubject: My data\r\n"
                        + "Message-ID: <pair-" + i + "-" + System.nanoTime() + "@mail.example.org>\r\nDate: Sun, 22 Nov 2026 09:00:00 +0000\r\n"
                        + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nPlease send me a copy of my personal data.\r\n");
            }
            Leadership leadershipB = b.getBean(Leadership.class);
            assertThat(leadershipA.isLeader("mail-intake") ^ leadershipB.isLeader("mail-intake")).as("exactly one reads the mailbox").isTrue();

            for (String reference : references) {
                instances[0].awaitState(reference, "REPLIED");
            }
            for (int i = 0; i < 4; i++) {
                String person = "pairmail" + i + ".tester@example.org";
                mailbox.await(person, m -> m.subject().contains("privacy request"), WAIT);
            }
            Thread.sleep(2000); // time for a second reply or a second case, were one coming

            for (int i = 0; i < REQUESTS; i++) {
                String reference = references.get(i);
                assertThat(jdbc.queryForList("select system || ':' || attempts from connector_task where case_id = ?", String.class, reference))
                        .as("every system asked once for " + reference).hasSize(5).allMatch(t -> t.endsWith(":1"));
                assertThat(jdbc.queryForObject("select count(*) from case_transition where case_id = ? and "
                        + "((from_state = 'VERIFIED' and to_state = 'IN_PROGRESS') or to_state = 'REPLIED')", Integer.class, reference))
                        .as("fanned out once, replied once").isEqualTo(2);
                String person = people.get(i);
                assertThat(mailbox.read(person).stream().filter(m -> m.subject().startsWith("Your personal data")).count())
                        .as("one reply to " + person).isEqualTo(1);
            }
            for (int i = 0; i < 4; i++) {
                assertThat(jdbc.queryForObject("select count(*) from dsr_case where subject_email = ?", Integer.class,
                        "pairmail" + i + ".tester@example.org")).as("each mail became one case").isEqualTo(1);
            }
            // which instance fanned out what is the race's choice; that B can do it alone is shown here
            long tasksOfBBefore = taskCalls(b.getBean(MeterRegistry.class));
            // A's polls and its nudged claims
            camelA.getRouteController().stopRoute("dsr-fulfilment-poll");
            camelA.getRouteController().stopRoute("dsr-fulfilment-claim");
            try {
                String person = "pairsolo.tester@example.org";
                String reference = instances[1].postJson("/api/requests", "{\"type\":\"ACCESS\",\"email\":\"" + person + "\",\"language\":\"en\"}")
                        .json().path("reference").asText();
                Mailbox.Mail code = mailbox.await(person, m -> m.subject().contains(reference), WAIT);
                instances[1].postJson("/api/requests/" + reference + "/verification", "{\"code\":\"" + group("\\b(\\d{6})\\b", code.body()) + "\"}");
                instances[1].awaitState(reference, "REPLIED");
            } finally {
                camelA.getRouteController().startRoute("dsr-fulfilment-claim");
                camelA.getRouteController().startRoute("dsr-fulfilment-poll");
            }
            assertThat(taskCalls(b.getBean(MeterRegistry.class)) - tasksOfBBefore).as("instance B called systems").isPositive();
        }
    }

    private ConfigurableApplicationContext startSecondInstance() throws Exception {
        java.util.Map<String, String> settings = org.dsrflow.support.SharedServers.settings(postgres, brokers, smtpPort, imapPort, helpdeskPort);
        settings.put("camel.main.name", "dsrflow-b");
        return new SpringApplicationBuilder(DsrflowApplication.class).run(org.dsrflow.support.SharedServers.args(settings));
    }

    private static long taskCalls(MeterRegistry registry) {
        return registry.find("dsrflow.system.task").timers().stream().mapToLong(Timer::count).sum();
    }

    private static String group(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }
}
