package org.dsrflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Http;
import org.dsrflow.support.Mailbox;
import org.dsrflow.tickets.TicketSignature;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Tickets in by HTTP and by Kafka, signed per source; updates out to Kafka and to a callback URL. */
class TicketIntakeTests extends EmbeddedStackTest {
    static final String ZENDESK_SECRET = "demo-only-zendesk-secret";
    static final String JIRA_SECRET = "demo-only-jira-secret";
    static final String FRESHDESK_SECRET = "demo-only-freshdesk-secret";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    JdbcTemplate caseStore;

    Http http;
    Mailbox mailbox;
    final ObjectMapper json = new ObjectMapper();
    HttpServer callbacks;
    final List<String[]> received = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() throws Exception {
        http = new Http(port);
        mailbox = new Mailbox(imapPort);
        callbacks = HttpServer.create(new InetSocketAddress("127.0.0.1", 38517), 0);
        callbacks.createContext("/ticket-callback", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new String[] {new String(body, StandardCharsets.UTF_8), exchange.getRequestHeaders().getFirst(TicketSignature.HEADER)});
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        callbacks.start();
    }

    @AfterEach
    void stop() {
        callbacks.stop(0);
    }

    @Test
    void aSignedTicketOpensOneCaseEvenWhenDeliveredTwiceAndTheTicketHearsOfIt() throws Exception {
        String person = "zhou.min@example.cn";
        byte[] ticket = ticket("ZD-4711", "zendesk", person, "删除个人信息", "客户要求删除其全部个人信息。", "zh", "lily@support.example.com");

        Http.Reply first = http.post("/api/tickets", ticket, "X-Dsrflow-Source", "zendesk", TicketSignature.HEADER,
                TicketSignature.sign(ZENDESK_SECRET, ticket));
        assertThat(first.status()).isEqualTo(201);
        String reference = first.json().get("reference").asText();
        Http.Reply again = http.post("/api/tickets", ticket, "X-Dsrflow-Source", "zendesk", TicketSignature.HEADER,
                TicketSignature.sign(ZENDESK_SECRET, ticket));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("outcome").asText()).isEqualTo("REPEATED");
        assertThat(again.json().get("reference").asText()).isEqualTo(reference);
        assertThat(caseStore.queryForObject("select count(*) from dsr_case where subject_email = ?", Integer.class, person)).isEqualTo(1);

        Map<String, Object> c = caseStore.queryForMap("select * from dsr_case where id = ?", reference);
        assertThat(c).containsEntry("channel", "TICKET").containsEntry("type", "DELETION").containsEntry("source_system", "zendesk")
                .containsEntry("source_ticket_id", "ZD-4711").containsEntry("language", "zh");
        mailbox.await(person, m -> m.subject().equals("请确认您的隐私请求 " + reference), WAIT);

        List<JsonNode> updates = updatesFor("zendesk", "ZD-4711", 2);
        assertThat(updates.get(0).get("status").asText()).isEqualTo("RECEIVED");
        assertThat(updates.get(0).get("comment").asText()).contains(reference).contains("已收到");
        assertThat(updates.get(1).get("status").asText()).isEqualTo("AWAITING_VERIFICATION");
        assertThat(updates.get(1).get("comment").asText()).contains("验证码");
    }

    @Test
    void unsignedWronglySignedOrMalformedTicketsAreRefusedAndNothingIsStored() throws Exception {
        String person = "he.ping@example.cn";
        byte[] ticket = ticket("ZD-1", "zendesk", person, "Access", "Please send me a copy of my data", "en", null);
        assertThat(http.post("/api/tickets", ticket, "X-Dsrflow-Source", "zendesk").status()).isEqualTo(401);
        assertThat(http.post("/api/tickets", ticket, "X-Dsrflow-Source", "zendesk", TicketSignature.HEADER,
                TicketSignature.sign("guessed-secret", ticket)).status()).isEqualTo(401);
        assertThat(http.post("/api/tickets", ticket, "X-Dsrflow-Source", "jira", TicketSignature.HEADER,
                TicketSignature.sign(ZENDESK_SECRET, ticket)).status()).as("signed for another source").isEqualTo(401);
        assertThat(http.post("/api/tickets", ticket, "X-Dsrflow-Source", "nosuchtool", TicketSignature.HEADER,
                TicketSignature.sign(ZENDESK_SECRET, ticket)).status()).isEqualTo(401);
        byte[] broken = "{\"ticketId\": \"ZD-2\", ".getBytes(StandardCharsets.UTF_8);
        Http.Reply invalid = http.post("/api/tickets", broken, "X-Dsrflow-Source", "zendesk", TicketSignature.HEADER,
                TicketSignature.sign(ZENDESK_SECRET, broken));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("error").asText()).isEqualTo("invalid_json");
        assertThat(caseStore.queryForObject("select count(*) from dsr_case where subject_email = ?", Integer.class, person)).isZero();
    }

    @Test
    void aTicketFromKafkaIsTakenInAndABadOneIsQuarantinedWithItsReason() throws Exception {
        String person = "isla.lloyd@example.com";
        byte[] ticket = ticket("JRA-88", "jira", person, "Data request", "The customer would like to know what data do you hold about her.",
                null, "sam@support.example.com");
        byte[] forged = ticket("JRA-89", "jira", "ruby.reid@example.com", "Delete", "Delete my data", "en", null);
        long quarantinedBefore = caseStore.queryForObject("select count(*) from quarantine where channel = 'TICKET'", Long.class);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.send(record(ticket, "jira", TicketSignature.sign(JIRA_SECRET, ticket))).get();
            producer.send(record(forged, "jira", TicketSignature.sign("not-the-secret", forged))).get();
        }
        Mailbox.Mail verification = mailbox.await(person, m -> m.subject().startsWith("Confirm your privacy request"), WAIT);
        assertThat(verification.body()).contains("Access: a copy of your personal data");
        awaitQuarantined(quarantinedBefore + 1);
        assertThat(caseStore.queryForObject("select reason from quarantine where channel = 'TICKET' order by id desc limit 1", String.class))
                .startsWith("bad_signature");
        assertThat(caseStore.queryForObject("select count(*) from dsr_case where subject_email = 'ruby.reid@example.com'", Integer.class))
                .isZero();
    }

    @Test
    void ticketUpdatesArePostedSignedToTheSourcesCallback() throws Exception {
        String person = "ethan.marsh@example.net";
        byte[] ticket = ticket("FD-300", "freshdesk", person, "Erase me", "Please erase my account, I want to be forgotten.", "en", null);
        assertThat(http.post("/api/tickets", ticket, "X-Dsrflow-Source", "freshdesk", TicketSignature.HEADER,
                TicketSignature.sign(FRESHDESK_SECRET, ticket)).status()).isEqualTo(201);
        Instant deadline = Instant.now().plus(WAIT);
        while (received.size() < 2 && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(received).hasSizeGreaterThanOrEqualTo(2);
        for (String[] call : received) {
            assertThat(TicketSignature.matches(FRESHDESK_SECRET, call[0].getBytes(StandardCharsets.UTF_8), call[1])).isTrue();
        }
        assertThat(json.readTree(received.get(0)[0]).get("ticketId").asText()).isEqualTo("FD-300");
        assertThat(json.readTree(received.get(1)[0]).get("status").asText()).isEqualTo("AWAITING_VERIFICATION");
    }

    private void awaitQuarantined(long count) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            if (caseStore.queryForObject("select count(*) from quarantine where channel = 'TICKET'", Long.class) >= count) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no quarantined ticket within " + WAIT);
    }

    private List<JsonNode> updatesFor(String source, String ticketId, int atLeast) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "ticket-test-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<JsonNode> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of("dsr.tickets.updates"));
            Instant deadline = Instant.now().plus(WAIT);
            while (found.size() < atLeast && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key().equals(source + ":" + ticketId)) {
                        found.add(json.readTree(r.value()));
                    }
                }
            }
        }
        assertThat(found).hasSizeGreaterThanOrEqualTo(atLeast);
        return found;
    }

    KafkaProducer<byte[], byte[]> producer() {
        return producer(brokers);
    }

    /** A producer of raw ticket bytes, as a support tool would send them. */
    static KafkaProducer<byte[], byte[]> producer(String brokers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    static ProducerRecord<byte[], byte[]> record(byte[] ticket, String source, String signature) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>("dsr.tickets.in", null, ticket);
        r.headers().add("X-Dsrflow-Source", source.getBytes(StandardCharsets.UTF_8));
        if (signature != null) {
            r.headers().add(TicketSignature.HEADER, signature.getBytes(StandardCharsets.UTF_8));
        }
        return r;
    }

    byte[] ticket(String id, String source, String requester, String subject, String body, String language, String agent) throws Exception {
        Map<String, Object> t = new java.util.LinkedHashMap<>();
        t.put("ticketId", id);
        t.put("source", source);
        t.put("requesterEmail", requester);
        t.put("subject", subject);
        t.put("body", body);
        if (language != null) {
            t.put("language", language);
        }
        if (agent != null) {
            t.put("agent", agent);
        }
        return json.writeValueAsBytes(t);
    }
}
