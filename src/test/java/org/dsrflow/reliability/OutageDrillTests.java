package org.dsrflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.dsrflow.demo.NotificationsService;
import org.dsrflow.remote.RemoteProtocol;
import org.dsrflow.remote.client.TaskWorker;
import org.dsrflow.support.DsrflowProcess;
import org.dsrflow.support.Http;
import org.dsrflow.support.MailDrop;
import org.dsrflow.support.Mailbox;
import org.dsrflow.support.OwnRoutes;
import org.dsrflow.support.SharedServers;
import org.dsrflow.support.StaffSession;
import org.dsrflow.support.TcpProxy;
import org.dsrflow.tickets.TicketSignature;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The outage drill. dsrflow runs as a process of its own and reaches each server through a TCP
 * relay the test controls: the case store, the billing system's database, the SMTP server, the
 * IMAP server and a Kafka broker of the drill's own (which advertises the relay, so every Kafka
 * client goes through it). One at a time, each server is taken away (every connection reset, new
 * ones refused, as when the server dies) while requests arrive, then given back.
 *
 * <p>While each outage lasts, {@code /actuator/health}, the {@code dsrflow_dependency_up} metric and
 * the console's outage list show it. Afterwards every request taken in, including those that arrived
 * by mail or ticket during the outage, is answered exactly once, every system finished its work, and
 * the audit chain is intact. A web request sent while the case store is down is refused with 503 and
 * a clear message, and taken in when sent again.
 */
class OutageDrillTests extends ProcessDrill {
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");
    private static final Duration SEEN_WITHIN = Duration.ofSeconds(20);
    private static final String JIRA_SECRET = "demo-only-jira-secret";

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, String> report = new LinkedHashMap<>();
    private DsrflowProcess dsrflow;
    private Mailbox mailbox;
    private StaffSession manager;

    @Test
    void eachOutageShowsWhileItLastsAndEveryRequestIsAnsweredOnceAfterwards() throws Exception {
        Path logs = Files.createDirectories(Path.of("target", "outage-drill"));
        int kafkaPort = freePort();
        EmbeddedKafkaKraftBroker broker = null;
        TaskWorker notifications = null;
        OwnRoutes own = OwnRoutes.stop(camel);
        try (TcpProxy caseStore = new TcpProxy(postgres.port());
             TcpProxy billing = new TcpProxy(postgres.port());
             TcpProxy smtp = new TcpProxy(smtpPort);
             TcpProxy imap = new TcpProxy(imapPort);
             TcpProxy kafka = new TcpProxy(kafkaPort)) {
            broker = broker(kafkaPort, kafka.port());
            String viaRelay = "localhost:" + kafka.port();
            // the demo's remote system, on the drill's broker: it loses Kafka too while the broker is away
            notifications = new TaskWorker(viaRelay, "notifications", new NotificationsService(postgres.dataSource("notifications")));
            notifications.start();

            Map<String, String> settings = SharedServers.settings(postgres, viaRelay, smtp.port(), imap.port(), helpdeskPort);
            settings.put("spring.datasource.url", "jdbc:postgresql://localhost:" + caseStore.port() + "/dsrflow");
            settings.put("DSRFLOW_BILLING_JDBC_URL", "jdbc:postgresql://localhost:" + billing.port() + "/billing");
            // a mail sent just as the case store went away, whose "sent" mark was lost, goes again (same
            // Message-ID) when its send lease runs out: shorter here than the two minutes of production
            settings.put("dsrflow.outbox.send-lease", "PT20S");
            settings.put("camel.component.kafka.session-timeout-ms", "6000");
            settings.put("camel.component.kafka.heartbeat-interval-ms", "2000");
            settings.put("logging.level.root", "WARN");
            settings.put("logging.level.org.dsrflow", "INFO");
            dsrflow = new DsrflowProcess(settings, logs.resolve("dsrflow.log"));
            dsrflow.start(Duration.ofSeconds(90));
            mailbox = new Mailbox(imapPort);
            manager = new StaffSession(dsrflow.port());
            assertThat(manager.signIn("manager", "demo-only-password").status()).isEqualTo(302);
            for (String server : List.of("case-store", "smtp", "imap", "kafka")) {
                awaitStatus("servers", server, "UP");
            }
            awaitStatus("systems", "billing", "UP");
            MailDrop drop = new MailDrop(smtpPort, imapPort);
            List<String> people = new ArrayList<>();

            // SMTP: a request is taken in; its mail waits in the outbox and goes out when the server is back
            String smtpPerson = "drill.smtp@example.org";
            people.add(smtpPerson);
            String smtpCase = outage("smtp", "servers", smtp, () -> {
                String reference = submit(smtpPerson);
                await("the code mail to wait in the outbox with its error", () -> jdbc.queryForObject(
                        "select count(*) from outbox where case_id = ? and kind = 'MAIL' and sent_at is null and last_error is not null",
                        Integer.class, reference) > 0);
                return reference;
            });
            confirm(smtpPerson, smtpCase);

            // IMAP: a mail sent meanwhile waits in the mailbox and is read when the server is back
            String imapPerson = "drill.imap@example.org";
            people.add(imapPerson);
            outage("imap", "servers", imap, () -> {
                drop.send(mail(imapPerson));
                Thread.sleep(2000);
                assertThat(casesOf(imapPerson)).as("nothing can be read while IMAP is away").isZero();
                return null;
            });
            confirm(imapPerson, awaitCase(imapPerson));

            // Kafka: a request is confirmed; its events and the remote system's task wait, then go
            String kafkaPerson = "drill.kafka@example.org";
            people.add(kafkaPerson);
            outage("kafka", "servers", kafka, () -> {
                String reference = submit(kafkaPerson);
                confirm(kafkaPerson, reference);
                await("events to wait in the outbox", () -> jdbc.queryForObject(
                        "select count(*) from outbox where case_id = ? and kind = 'EVENT' and sent_at is null", Integer.class, reference) > 0);
                return null;
            });

            // billing's database: that system's task fails and is retried; the console lists billing as failing
            String billingPerson = "drill.billing@example.org";
            people.add(billingPerson);
            outage("billing", "systems", billing, () -> {
                String reference = submit(billingPerson);
                confirm(billingPerson, reference);
                await("billing's task to record its failure", () -> jdbc.queryForObject(
                        "select count(*) from connector_task where case_id = ? and system = 'billing' and error is not null",
                        Integer.class, reference) > 0);
                JsonNode overview = manager.get("/api/console/overview").json();
                assertThat(overview.path("systemsWithFailures").findValuesAsText("system")).contains("billing");
                return null;
            });

            // the case store: the web form is refused (503, nothing taken in); a mail and a ticket sent
            // meanwhile wait in the mailbox and on the topic, and are taken in when it is back
            String webPerson = "drill.store.web@example.org";
            String mailPerson = "drill.store.mail@example.org";
            String ticketPerson = "drill.store.ticket@example.org";
            people.addAll(List.of(webPerson, mailPerson, ticketPerson));
            outage("case-store", "servers", caseStore, () -> {
                Http.Reply refused = dsrflow.http().postJson("/api/requests", request(webPerson));
                assertThat(refused.status()).as(refused.body()).isEqualTo(503);
                assertThat(refused.json().path("message").asText()).contains("case store").contains("nothing was taken in");
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();
                drop.send(mail(mailPerson));
                try (KafkaProducer<byte[], byte[]> producer = producer(viaRelay)) {
                    byte[] ticket = json.writeValueAsBytes(Map.of("ticketId", "DRILL-1", "source", "jira", "requesterEmail", ticketPerson,
                            "subject", "Data request", "body", "Please send me a copy of my personal data.", "language", "en"));
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("dsr.tickets.in", null, ticket);
                    record.headers().add("X-Dsrflow-Source", "jira".getBytes(StandardCharsets.UTF_8));
                    record.headers().add(TicketSignature.HEADER, TicketSignature.sign(JIRA_SECRET, ticket).getBytes(StandardCharsets.UTF_8));
                    producer.send(record).get();
                }
                Thread.sleep(2000);
                return null;
            });
            String webCase = submit(webPerson); // sent again, as the refusal asked
            confirm(webPerson, webCase);
            confirm(mailPerson, awaitCase(mailPerson));
            confirm(ticketPerson, awaitCase(ticketPerson));

            await("every request to be answered", Duration.ofMinutes(3), () -> people.stream().allMatch(this::replied));
            await("the outbox to be empty", Duration.ofMinutes(1), () -> jdbc.queryForObject("select count(*) from outbox o join dsr_case c "
                    + "on c.id = o.case_id where c.subject_email like 'drill.%' and o.sent_at is null", Integer.class) == 0);
            Thread.sleep(3000); // a second reply, were one coming
            int deliveries = 0;

            for (String person : people) {
                List<Map<String, Object>> cases = jdbc.queryForList("select id, state from dsr_case where subject_email = ?", person);
                assertThat(cases).as("one case for " + person).hasSize(1);
                String reference = (String) cases.get(0).get("id");
                List<Mailbox.Mail> replies = mailbox.read(person).stream().filter(m -> m.subject().startsWith("Your personal data")).toList();
                assertThat(replies.stream().map(Mailbox.Mail::messageId).distinct().count()).as("one final reply to " + person).isEqualTo(1);
                deliveries += replies.size();
                assertThat(jdbc.queryForList("select state from connector_task where case_id = ?", String.class, reference))
                        .as("every system finished for " + person).hasSize(5)
                        .allMatch(s -> Set.of("DONE", "NOT_FOUND", "RETAINED").contains(s));
                assertThat(jdbc.queryForObject("select count(*) from case_transition where case_id = ? and to_state = 'REPLIED'",
                        Integer.class, reference)).isEqualTo(1);
                assertThat(jdbc.queryForObject("select count(*) from outbox where case_id = ? and sent_at is null", Integer.class, reference))
                        .as("nothing left unsent for " + person).isZero();
            }
            String metrics = dsrflow.http().get("/actuator/prometheus").body();
            for (String name : List.of("smtp", "imap", "kafka", "billing", "case-store")) {
                assertThat(metric(metrics, "dsrflow_dependency_outages_total", name)).as("outages of " + name + " counted").isEqualTo(1.0);
                assertThat(metric(metrics, "dsrflow_dependency_up", name)).as(name + " back").isEqualTo(1.0);
            }
            assertThat(audit.verify().intact()).isTrue();
            report.put("requests", people.size() + " taken in (1 refused with 503 during the case-store outage and sent again), "
                    + people.size() + " answered once, 0 lost; final replies delivered " + deliveries + " times (a repeat is the same "
                    + "message, sent again because its sent mark was lost)");
        } finally {
            if (dsrflow != null) {
                dsrflow.kill();
            }
            if (notifications != null) {
                notifications.close();
            }
            if (broker != null) {
                broker.destroy();
            }
            own.startAgain();
        }
        StringBuilder text = new StringBuilder();
        report.forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
        Files.writeString(logs.resolve("report.txt"), text);
        System.out.println("[outage drill] " + text.toString().replace('\n', ' '));
    }

    /**
     * Takes the server away, waits until health, metrics and the console all show it, runs what
     * happens meanwhile, gives the server back and waits until health shows it up again.
     */
    private <T> T outage(String name, String group, TcpProxy relay, Callable<T> meanwhile) throws Exception {
        Instant cut = Instant.now();
        relay.cut();
        T result;
        Duration seen;
        try {
            awaitStatus(group, name, "DOWN");
            seen = Duration.between(cut, Instant.now());
            assertThat(metric(dsrflow.http().get("/actuator/prometheus").body(), "dsrflow_dependency_up", name))
                    .as("the metric shows " + name + " down").isEqualTo(0.0);
            JsonNode listed = manager.get("/api/console/dependencies").json();
            assertThat(listed.findValues("name").stream().map(JsonNode::asText).toList()).contains(name);
            for (JsonNode d : listed) {
                if (d.path("name").asText().equals(name)) {
                    assertThat(d.path("status").asText()).as("the console shows " + name + " down").isEqualTo("DOWN");
                }
            }
            assertThat(dsrflow.http().get("/actuator/health/readiness").status()).as("still ready: requests are still taken in").isEqualTo(200);
            result = meanwhile.call();
        } finally {
            relay.restore();
        }
        Instant restored = Instant.now();
        awaitStatus(group, name, "UP");
        report.put(name, "down " + Duration.between(cut, restored).toSeconds() + " s, shown by health after " + seen.toMillis()
                + " ms, up again after " + Duration.between(restored, Instant.now()).toMillis() + " ms");
        return result;
    }

    private void awaitStatus(String group, String name, String status) throws Exception {
        await("health to show " + name + " " + status, () -> {
            JsonNode health = json.readTree(manager.get("/actuator/health").body());
            return status.equals(health.path("components").path(group).path("components").path(name).path("status").asText());
        });
    }

    private String submit(String person) throws Exception {
        Http.Reply created = dsrflow.http().postJson("/api/requests", request(person));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("reference").asText();
    }

    private static String request(String person) {
        return "{\"type\":\"ACCESS\",\"email\":\"" + person + "\",\"language\":\"en\"}";
    }

    private static String mail(String person) {
        return "From: " + person + "\r\nTo: " + MailDrop.PRIVACY + "\r\nSubject: My data\r\nMessage-ID: <" + person.replace('@', '.')
                + "@mail.example.org>\r\nDate: Wed, 02 Dec 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\nPlease send me a copy of my personal data.\r\n";
    }

    /** Reads the code from the person's mail about the case and enters it. */
    private void confirm(String person, String reference) throws Exception {
        Mailbox.Mail code = mailbox.await(person, m -> m.subject().contains(reference) && CODE.matcher(m.body()).find(),
                Duration.ofSeconds(60));
        Matcher m = CODE.matcher(code.body());
        assertThat(m.find()).isTrue();
        Http.Reply confirmed = dsrflow.http().postJson("/api/requests/" + reference + "/verification", "{\"code\":\"" + m.group(1) + "\"}");
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
    }

    private String awaitCase(String person) throws Exception {
        await("a case for " + person, Duration.ofSeconds(60), () -> casesOf(person) > 0);
        return jdbc.queryForObject("select id from dsr_case where subject_email = ?", String.class, person);
    }

    private int casesOf(String person) {
        return jdbc.queryForObject("select count(*) from dsr_case where subject_email = ?", Integer.class, person);
    }

    private boolean replied(String person) {
        return jdbc.queryForObject("select count(*) from dsr_case where subject_email = ? and state = 'REPLIED'", Integer.class, person) == 1;
    }

    private static double metric(String scrape, String metric, String dependency) {
        Matcher m = Pattern.compile("(?m)^" + metric + "\\{[^}]*dependency=\"" + Pattern.quote(dependency) + "\"[^}]*\\} (\\S+)$")
                .matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static void await(String what, Callable<Boolean> done) throws Exception {
        await(what, SEEN_WITHIN, done);
    }

    private static void await(String what, Duration timeout, Callable<Boolean> done) throws Exception {
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            try {
                if (Boolean.TRUE.equals(done.call())) {
                    return;
                }
            } catch (java.io.IOException e) {
                // the process is busy or a connection was reset: ask again
            }
            Thread.sleep(200);
        }
        throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what);
    }

    /** A broker of the drill's own that listens on {@code port} and tells clients to use the relay. */
    private static EmbeddedKafkaKraftBroker broker(int port, int relayPort) {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1, "dsr.case.events", "dsr.tickets.in", "dsr.tickets.updates",
                RemoteProtocol.tasksTopic("notifications"), RemoteProtocol.resultsTopic("notifications"));
        broker.brokerProperty("listeners", "EXTERNAL://localhost:" + port + ",CONTROLLER://localhost:0");
        broker.brokerProperty("advertised.listeners", "EXTERNAL://localhost:" + relayPort);
        broker.afterPropertiesSet();
        return broker;
    }

    private static KafkaProducer<byte[], byte[]> producer(String brokers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
