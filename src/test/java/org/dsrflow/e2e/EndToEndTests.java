package org.dsrflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.dsrflow.audit.AuditLog;
import org.dsrflow.embedded.EmbeddedPostgresServer;
import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Http;
import org.dsrflow.support.Mailbox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * From a request to the reply a person reads, on real servers: HTTP in, verification mail read
 * over IMAP, confirmation, fan-out to the three demo databases, the reply mail, the zip it links
 * to, and the rows left in the databases after a deletion.
 */
class EndToEndTests extends EmbeddedStackTest {
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");
    private static final Pattern LINK_TOKEN = Pattern.compile("[?&]token=([A-Za-z0-9_-]+)");
    private static final Pattern DOWNLOAD = Pattern.compile("/download/([A-Za-z0-9_-]+)");
    private static final Pattern PASSCODE = Pattern.compile("\\b(\\d{8})\\b");
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Autowired
    EmbeddedPostgresServer postgres;
    @Autowired
    AuditLog audit;
    @Autowired
    JdbcTemplate caseStore;

    Http http;
    Mailbox mailbox;
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void clients() {
        http = new Http(port);
        mailbox = new Mailbox(imapPort);
    }

    @Test
    void anAccessRequestEndsWithAZipOfEverySystemsDataForThatPersonOnly() throws Exception {
        String alice = "alice.chen@example.com";
        String reference = submit("ACCESS", alice, "en");

        Mailbox.Mail verification = mailbox.await(alice, m -> m.subject().contains(reference), WAIT);
        assertThat(verification.subject()).isEqualTo("Confirm your privacy request " + reference);
        assertThat(verification.autoSubmitted()).isEqualTo("auto-generated");
        String code = group(CODE, verification.body());

        String wrong = code.equals("000000") ? "111111" : "000000";
        Http.Reply refused = http.postJson("/api/requests/" + reference + "/verification", "{\"code\":\"" + wrong + "\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("error").asText()).isEqualTo("invalid_code");

        Http.Reply verified = http.postJson("/api/requests/" + reference + "/verification", "{\"code\":\"" + code + "\"}");
        assertThat(verified.status()).as(verified.body()).isEqualTo(200);
        assertThat(verified.json().path("state").asText()).isEqualTo("VERIFIED");
        Instant verifiedAt = Instant.parse(verified.json().path("verifiedAt").asText());
        // cn-15: the reply is due at the end of the fifteenth day after verification, Beijing time
        java.time.ZoneId beijing = java.time.ZoneId.of("Asia/Shanghai");
        assertThat(Instant.parse(verified.json().path("dueAt").asText()))
                .isEqualTo(verifiedAt.atZone(beijing).toLocalDate().plusDays(15).atTime(23, 59, 59).atZone(beijing).toInstant());

        Mailbox.Mail reply = mailbox.await(alice, m -> m.subject().startsWith("Your personal data"), WAIT);
        assertThat(reply.inReplyTo()).isEqualTo(verification.messageId());
        assertThat(reply.references()).contains(verification.messageId());
        assertThat(reply.body()).contains("billing", "logs", "crm");

        // the link opens a page asking for the passcode, which comes in a mail of its own
        String link = "/download/" + group(DOWNLOAD, reply.body());
        Mailbox.Mail passcodeMail = mailbox.await(alice, m -> m.subject().startsWith("Passcode for your data"), WAIT);
        assertThat(passcodeMail.body()).doesNotContain("/download/");
        String passcode = group(PASSCODE, passcodeMail.body());
        assertThat(http.get(link).body()).contains("passcode");
        Http.Reply wrongPasscode = http.post(link, "application/x-www-form-urlencoded",
                ("passcode=" + (passcode.equals("00000000") ? "11111111" : "00000000")).getBytes(StandardCharsets.UTF_8));
        assertThat(wrongPasscode.status()).isEqualTo(403);
        java.nio.file.Path stored = java.nio.file.Path.of(caseStore.queryForObject("select path from export_package where case_id = ?",
                String.class, reference));
        assertThat(new String(java.nio.file.Files.readAllBytes(stored), StandardCharsets.ISO_8859_1))
                .as("encrypted at rest").doesNotContain(alice).doesNotContain("manifest.json");
        Map<String, byte[]> zip = Http.unzip(http.download(link, passcode));
        assertThat(zip.keySet()).filteredOn(name -> !name.startsWith("csv/"))
                .containsExactlyInAnyOrder("manifest.json", "README.txt", "billing.json", "logs.json", "crm.json", "notifications.json",
                        "helpdesk.json");
        // the same records as CSV, one file per table, for a spreadsheet
        String accountsCsv = new String(zip.get("csv/billing/accounts.csv"), StandardCharsets.UTF_8);
        assertThat(accountsCsv.lines().findFirst().orElseThrow()).contains("account_id", "email");
        assertThat(accountsCsv).contains(alice);
        for (String name : zip.keySet().stream().filter(n -> n.startsWith("csv/")).toList()) {
            assertThat(emailsIn(new String(zip.get(name), StandardCharsets.UTF_8))).as("addresses in " + name).isSubsetOf(alice);
        }
        Http.Reply again = http.post(link, "application/x-www-form-urlencoded", ("passcode=" + passcode).getBytes(StandardCharsets.UTF_8));
        assertThat(again.status()).as("the link works once").isEqualTo(410);
        assertThat(again.json().path("error").asText()).isEqualTo("used");
        assertThat(stored).as("the file is deleted once downloaded").doesNotExist();
        // notifications answers over Kafka (the demo's remote system), helpdesk over its REST API (the demo's SaaS);
        // their records are packaged like the databases'
        for (String system : List.of("billing", "logs", "crm", "notifications", "helpdesk")) {
            String content = new String(zip.get(system + ".json"), StandardCharsets.UTF_8);
            Set<String> emails = emailsIn(content);
            assertThat(emails).as("addresses in " + system + ".json").containsOnly(alice);
            JsonNode tables = json.readTree(content).path("tables");
            long records = 0;
            for (JsonNode table : tables) {
                records += table.path("records").size();
                assertThat(table.path("count").asLong()).isEqualTo(table.path("records").size());
            }
            assertThat(records).as(system + " records").isPositive();
        }
        JsonNode billing = json.readTree(zip.get("billing.json")).path("tables");
        assertThat(billing.path("accounts").path("records")).hasSize(1);
        assertThat(billing.path("accounts").path("records").get(0).path("account_id").asLong()).isEqualTo(1001);
        assertThat(billing.path("invoices").path("records").size()).isGreaterThanOrEqualTo(2);

        JsonNode manifest = json.readTree(zip.get("manifest.json"));
        assertThat(manifest.path("reference").asText()).isEqualTo(reference);
        assertThat(manifest.path("systems")).hasSize(5);
        assertThat(find(find(manifest.path("systems"), "system", "notifications").path("datasets"), "name", "consents")
                .path("retention").path("legalBasis").asText()).contains("GDPR");
        JsonNode invoices = find(find(manifest.path("systems"), "system", "billing").path("datasets"), "name", "invoices");
        assertThat(invoices.path("categories").toString()).contains("financial");
        assertThat(invoices.path("retention").path("legalBasis").asText()).isNotBlank();

        assertEventuallyReplied(reference);
        assertThat(http.get("/api/requests/" + reference).json().path("state").asText()).isEqualTo("REPLIED");
        // each system's outcome is in the audit log once, with the system's name
        assertThat(caseStore.queryForList("select action || ' ' || (detail::json ->> 'system') from audit_log where case_id = ? "
                + "and action like 'task.%' and action <> 'task.sent'", String.class, reference))
                .containsExactlyInAnyOrder("task.done billing", "task.done logs", "task.done crm", "task.done notifications", "task.done helpdesk");
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void aDeletionRequestInChineseAnonymizesEverySystemAndKeepsInvoicesWithoutPersonalData() throws Exception {
        String liWei = "li.wei@example.cn";
        JdbcTemplate billing = new JdbcTemplate(postgres.dataSource("billing"));
        JdbcTemplate logs = new JdbcTemplate(postgres.dataSource("logs"));
        JdbcTemplate crm = new JdbcTemplate(postgres.dataSource("crm"));
        JdbcTemplate notifications = new JdbcTemplate(postgres.dataSource("notifications"));
        int invoicesBefore = billing.queryForObject("select count(*) from invoices where account_id = 1002", Integer.class);
        String otherBefore = billing.queryForObject("select email from accounts where account_id = 1001", String.class);

        String reference = submit("DELETION", liWei, "zh");
        Mailbox.Mail verification = mailbox.await(liWei, m -> m.subject().contains(reference), WAIT);
        assertThat(verification.subject()).isEqualTo("请确认您的隐私请求 " + reference);
        assertThat(verification.body()).contains("15天", "删除");

        // the tests turn on the stricter level for deletions: the phone on the account is needed too
        String token = group(LINK_TOKEN, verification.body());
        Http.Reply withoutPhone = http.postJson("/api/requests/" + reference + "/verification", "{\"token\":\"" + token + "\"}");
        assertThat(withoutPhone.status()).isEqualTo(400);
        assertThat(withoutPhone.json().path("error").asText()).isEqualTo("data_point_required");
        Http.Reply wrongPhone = http.postJson("/api/requests/" + reference + "/verification",
                "{\"token\":\"" + token + "\",\"phone\":\"+86 139 0000 0000\"}");
        assertThat(wrongPhone.json().path("error").asText()).isEqualTo("data_point_mismatch");
        assertThat(http.get("/api/requests/" + reference).json().path("state").asText()).isEqualTo("AWAITING_VERIFICATION");
        Http.Reply verified = http.postJson("/api/requests/" + reference + "/verification",
                "{\"token\":\"" + token + "\",\"phone\":\"+86-138-0000-0102\"}");
        assertThat(verified.status()).as(verified.body()).isEqualTo(200);

        Mailbox.Mail reply = mailbox.await(liWei, m -> m.subject().startsWith("您的个人信息已删除"), WAIT);
        assertThat(reply.inReplyTo()).isEqualTo(verification.messageId());
        assertThat(reply.body()).contains("billing", "logs", "crm", "notifications", "helpdesk", "已匿名化", "依法保留", "已核实", "发票属于会计凭证",
                "保留期限 10年", "保留同意记录");

        // billing: the account is anonymized, the invoices are kept with their amounts but no personal fields
        Map<String, Object> account = billing.queryForMap("select * from accounts where account_id = 1002");
        assertThat((String) account.get("email")).matches("[0-9a-f]{64}");
        assertThat((String) account.get("real_name")).endsWith("***");
        List<Map<String, Object>> invoices = billing.queryForList("select * from invoices where account_id = 1002");
        assertThat(invoices).hasSize(invoicesBefore).isNotEmpty();
        for (Map<String, Object> invoice : invoices) {
            assertThat(invoice.get("amount")).isNotNull();
            assertThat(invoice.get("buyer_name")).isEqualTo("ANONYMIZED");
        }
        // logs: access logs gone, operation logs kept by law without the address
        assertThat(logs.queryForObject("select count(*) from access_logs where account_id = 1002", Integer.class)).isZero();
        assertThat(logs.queryForObject("select count(*) from operation_logs where account_id = 1002", Integer.class)).isPositive();
        // crm: no contact can be found by the address any more
        assertThat(crm.queryForObject("select count(*) from contacts where lower(email) = ?", Integer.class, liWei)).isZero();

        // notifications (remote, over Kafka): devices and deliveries deleted, the consent kept under a hash
        assertThat(notifications.queryForObject("select count(*) from subscriptions where lower(email) = ?", Integer.class, liWei)).isZero();
        assertThat(notifications.queryForObject("select count(*) from consents", Integer.class)).isEqualTo(12);

        // nowhere, in any text column of any table of the four systems, is the address left
        for (JdbcTemplate system : List.of(billing, logs, crm, notifications)) {
            assertThat(textColumnsContaining(system, liWei)).as("columns still holding the address").isEmpty();
        }
        assertThat(billing.queryForObject("select email from accounts where account_id = 1001", String.class))
                .as("another customer is untouched").isEqualTo(otherBefore);

        // the proof of erasure is attached to the case: per system the report and what a new lookup still finds
        assertThat(http.get("/api/requests/" + reference + "/tasks").status()).as("operators only").isEqualTo(401);
        JsonNode tasks = json.readTree(http.getWithHeaders("/api/requests/" + reference + "/tasks",
                "Authorization", "Bearer demo-only-operator-token", "X-Dsrflow-Operator", "ops.test").body());
        assertThat(tasks).hasSize(5);
        for (JsonNode task : tasks) {
            assertThat(task.path("state").asText()).as(task.toString()).isIn("DONE", "RETAINED", "NOT_FOUND");
            JsonNode remaining = task.path("result").path("proof").path("remainingPerTable");
            assertThat(remaining.size()).as(task.path("system").asText()).isPositive();
            remaining.forEach(n -> assertThat(n.asLong()).isZero());
        }
        assertThat(tasks.toString()).doesNotContain(liWei);
        assertThat(reply.body()).containsPattern("最迟至\\d{4}年");

        assertEventuallyReplied(reference);
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void someoneNoSystemKnowsGetsAnHonestEmptyAnswer() throws Exception {
        String nobody = "nobody@example.org";
        String reference = submit("ACCESS", nobody, "en");
        Mailbox.Mail verification = mailbox.await(nobody, m -> m.subject().contains(reference), WAIT);
        http.postJson("/api/requests/" + reference + "/verification", "{\"code\":\"" + group(CODE, verification.body()) + "\"}");
        Mailbox.Mail reply = mailbox.await(nobody, m -> m.subject().startsWith("Your personal data"), WAIT);
        assertThat(reply.body()).contains("billing: 0 records", "logs: 0 records", "crm: 0 records");
        Mailbox.Mail passcodeMail = mailbox.await(nobody, m -> m.subject().startsWith("Passcode for your data"), WAIT);
        Map<String, byte[]> zip = Http.unzip(http.download("/download/" + group(DOWNLOAD, reply.body()), group(PASSCODE, passcodeMail.body())));
        assertThat(emailsIn(new String(zip.get("billing.json"), StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void aDownloadLinkThatDoesNotExistIsRefused() throws Exception {
        assertThat(http.get("/download/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").status()).isEqualTo(404);
        assertThat(http.get("/download/..%2F..%2Fetc%2Fpasswd").status()).isIn(400, 404);
    }

    private String submit(String type, String email, String language) throws Exception {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("email", email);
        body.put("language", language);
        Http.Reply reply = http.postJson("/api/requests", Http.json(body));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().path("reference").asText();
    }

    /** The case's lifecycle, as other systems see it on Kafka, ends in REPLIED. */
    private void assertEventuallyReplied(String reference) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + reference);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> states = new java.util.ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("dsr.case.events"));
            Instant deadline = Instant.now().plus(WAIT);
            while (Instant.now().isBefore(deadline) && !states.contains("REPLIED")) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if (reference.equals(record.key())) {
                        states.add(json.readTree(record.value()).path("state").asText());
                    }
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(states).containsSubsequence("RECEIVED", "AWAITING_VERIFICATION", "VERIFIED", "IN_PROGRESS", "FULFILLED", "REPLIED");
    }

    private static List<String> textColumnsContaining(JdbcTemplate db, String needle) {
        List<String> hits = new java.util.ArrayList<>();
        for (Map<String, Object> column : db.queryForList("select table_name, column_name from information_schema.columns "
                + "where table_schema = 'public' and data_type in ('text', 'character varying')")) {
            String table = (String) column.get("table_name");
            String name = (String) column.get("column_name");
            Integer n = db.queryForObject("select count(*) from \"" + table + "\" where position(? in lower(\"" + name + "\")) > 0",
                    Integer.class, needle);
            if (n != null && n > 0) {
                hits.add(table + "." + name);
            }
        }
        return hits;
    }

    private static Set<String> emailsIn(String text) {
        Set<String> found = new HashSet<>();
        Matcher m = EMAIL.matcher(text);
        while (m.find()) {
            found.add(m.group().toLowerCase());
        }
        return found;
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.path(field).asText())) {
                return n;
            }
        }
        throw new AssertionError("no element with " + field + " = " + value + " in " + array);
    }

    private static String group(Pattern p, String text) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new AssertionError("no " + p + " in: " + text);
        }
        return m.group(1);
    }

}
