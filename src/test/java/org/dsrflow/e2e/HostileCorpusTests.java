package org.dsrflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.dsrflow.intake.mail.MailIntake;
import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Http;
import org.dsrflow.support.MailDrop;
import org.dsrflow.tickets.TicketSignature;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * More than a thousand generated malformed or hostile inputs, mixed with valid requests, through
 * both channels on the real servers. Every mail must end as a case, an ignored mail or a
 * quarantine with its reason, none may be left failing in the mailbox, every bad ticket is
 * refused (HTTP) or quarantined (Kafka) with a reason, and every valid request becomes a case.
 */
class HostileCorpusTests extends EmbeddedStackTest {
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final String[] INJECTIONS = {"a@b.com\r\nBcc: victim@example.com", "'; drop table dsr_case; --@x.com",
            "<script>alert(1)</script>@x.com", "a@b", "@example.com", "a@@b.com", "${jndi:ldap://x/a}@x.com", "a b@c.com",
            "a@b.com%0d%0aBcc:c@d.com", "\u0000@x.com", "a@[127.0.0.1]", "\"quoted\"@x.com", "x".repeat(300) + "@x.com", "../../etc/passwd"};

    enum Expect { CASE, IGNORED, QUARANTINED }

    record Item(String messageId, Expect expect, String reasonPart, byte[] raw) {
    }

    @Autowired
    JdbcTemplate caseStore;
    @Autowired
    MailIntake mailIntake;

    final Random random = new Random(20261122);
    final ObjectMapper json = new ObjectMapper();
    int serial;

    @Test
    void everyHostileInputEndsRefusedOrQuarantinedWithAReasonAndNoValidRequestIsLost() throws Exception {
        List<Item> mails = mailCorpus();
        MailDrop drop = new MailDrop(smtpPort, imapPort);
        for (int i = 0; i < mails.size(); i += 40) {
            drop.append(mails.subList(i, Math.min(mails.size(), i + 40)).stream().map(Item::raw).toArray(byte[][]::new));
        }
        // the same valid mails delivered a second time: taken in once
        List<Item> valid = mails.stream().filter(m -> m.expect() == Expect.CASE).toList();
        drop.append(valid.subList(0, 20).stream().map(Item::raw).toArray(byte[][]::new));
        int ticketsSent = sendTickets();

        awaitEmptyInbox(drop);
        assertThat(mailIntake.pendingFailures()).as("mails failing in the mailbox").isZero();
        Map<Expect, Integer> tally = new LinkedHashMap<>();
        for (Item m : mails) {
            String key = "mid:" + m.messageId();
            assertThat(count("select count(*) from inbound_message where message_key = ?", key)).as("taken in: " + m.messageId()).isEqualTo(1);
            switch (m.expect()) {
                case CASE -> assertThat(count("select count(*) from case_request where source_ref = ?", "mail:" + key))
                        .as("valid mail became a case: " + m.messageId()).isEqualTo(1);
                case IGNORED -> assertThat(count("select count(*) from audit_log where action = 'intake.ignored' and detail like ?",
                        "%" + m.messageId() + "%")).as("ignored: " + m.messageId()).isEqualTo(1);
                case QUARANTINED -> {
                    List<String> reasons = caseStore.queryForList("select reason from quarantine where external_key = ?", String.class, key);
                    assertThat(reasons).as("quarantined: " + m.messageId()).hasSize(1);
                    assertThat(reasons.get(0)).as("reason of " + m.messageId()).containsIgnoringCase(m.reasonPart());
                    byte[] kept = caseStore.queryForObject("select content from quarantine where external_key = ?", byte[].class, key);
                    assertThat(kept).as("only the header section of %s is kept", m.messageId())
                            .isEqualTo(m.reasonPart().equals("limit") ? null : headerSection(m.raw()));
                }
            }
            tally.merge(m.expect(), 1, Integer::sum);
        }
        assertThat(drop.count("dsrflow-quarantine")[0]).isEqualTo(tally.get(Expect.QUARANTINED));
        assertThat(mails.size() + 20 + ticketsSent).as("inputs in the corpus").isGreaterThanOrEqualTo(1000);
    }

    private List<Item> mailCorpus() {
        List<Item> items = new ArrayList<>();
        String[][] valid = {
                {"Copy of my data", "Please send me a copy of my personal data.", "UTF-8"},
                {"Delete my account", "I want you to delete my account and erase my data.", "UTF-8"},
                {"个人信息查询", "我想查询并导出我的个人信息副本。", "GBK"},
                {"注销账号", "请注销我的账号，删除全部数据。", "GB18030"},
                {"個人資料", "請刪除我的個人資料，删除我的账号。", "Big5"},
                {"Question", "What is going on with my stuff?", "UTF-8"}};
        for (int i = 0; i < 36; i++) {
            String[] v = valid[i % valid.length];
            String from = "corpus" + i + "@valid.example.org";
            boolean html = i % 3 == 0;
            items.add(item(Expect.CASE, null, id -> textMail(from, id, v[0], v[1], Charset.forName(v[2]), html)));
        }
        for (int i = 0; i < 30; i++) {
            items.add(item(Expect.QUARANTINED, "no sender", id -> ("To: " + MailDrop.PRIVACY + "\r\nSubject: delete my data\r\nMessage-ID: " + id
                    + "\r\n\r\nPlease delete my data.\r\n").getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < 20; i++) {
            int n = i;
            items.add(item(Expect.QUARANTINED, "more than one sender", id -> ("From: a" + n + "@x.example.org, b" + n + "@y.example.org\r\nTo: "
                    + MailDrop.PRIVACY + "\r\nSubject: erase\r\nMessage-ID: " + id + "\r\n\r\nerase my data\r\n").getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < 56; i++) {
            String bad = INJECTIONS[i % INJECTIONS.length].replace("\r\n", " ");
            String header = i % 2 == 0 ? "From: " + bad : "From: =?UTF-8?B?" + Base64.getEncoder().encodeToString(
                    INJECTIONS[i % INJECTIONS.length].getBytes(StandardCharsets.UTF_8)) + "?=";
            items.add(item(Expect.QUARANTINED, "sender", id -> (header + "\r\nTo: " + MailDrop.PRIVACY + "\r\nSubject: delete my data\r\nMessage-ID: "
                    + id + "\r\n\r\nPlease delete my data.\r\n").getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < 30; i++) {
            int n = i;
            items.add(item(Expect.QUARANTINED, "binary", id -> concat(("From: bin" + n + "@x.example.org\r\nTo: " + MailDrop.PRIVACY
                    + "\r\nMessage-ID: " + id + "\r\nContent-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.US_ASCII), randomBytes(2000))));
        }
        for (int i = 0; i < 24; i++) {
            int n = i;
            items.add(item(Expect.QUARANTINED, "unknown charset", id -> concat(("From: cs" + n + "@x.example.org\r\nTo: " + MailDrop.PRIVACY
                    + "\r\nMessage-ID: " + id + "\r\nContent-Type: text/plain; charset=x-klingon-" + n + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII), highBytes(600))));
        }
        String[] loops = {"Auto-Submitted: auto-replied", "Precedence: bulk", "X-Autoreply: yes", "Return-Path: <>", "List-Id: <news.x.org>",
                "X-Dsrflow-Mail: 01ARZ3NDEKTSV4RRFFQ69G5FAV", "Precedence: junk", "Auto-Submitted: auto-generated"};
        for (int i = 0; i < 32; i++) {
            String header = loops[i % loops.length];
            int n = i;
            items.add(item(Expect.IGNORED, null, id -> ("From: loop" + n + "@x.example.org\r\nTo: " + MailDrop.PRIVACY + "\r\n" + header
                    + "\r\nSubject: Automatic reply: delete my data\r\nMessage-ID: " + id + "\r\n\r\nI am out of office.\r\n")
                    .getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < 6; i++) {
            items.add(item(Expect.IGNORED, null, id -> ("From: MAILER-DAEMON@x.example.org\r\nTo: " + MailDrop.PRIVACY
                    + "\r\nSubject: Undelivered Mail\r\nMessage-ID: " + id + "\r\n\r\ndelete my data failed\r\n").getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < 20; i++) {
            int n = i;
            items.add(item(Expect.QUARANTINED, "dmarc", id -> ("From: ceo" + n + "@bank.example.org\r\nTo: " + MailDrop.PRIVACY
                    + "\r\nAuthentication-Results: mx.example.org; spf=fail; dmarc=fail header.from=bank.example.org\r\nSubject: delete my data"
                    + "\r\nMessage-ID: " + id + "\r\n\r\nPlease delete my account.\r\n").getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < 20; i++) {
            int n = i;
            items.add(item(Expect.QUARANTINED, "nested", id -> nested("deep" + n + "@x.example.org", id, 14)));
        }
        for (int i = 0; i < 20; i++) {
            int n = i;
            items.add(item(Expect.QUARANTINED, "no readable text", id -> ("From: att" + n + "@x.example.org\r\nTo: " + MailDrop.PRIVACY
                    + "\r\nMessage-ID: " + id + "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n"
                    + "Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"id.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                    + Base64.getMimeEncoder().encodeToString(randomBytes(3000)) + "\r\n--b1--\r\n").getBytes(StandardCharsets.US_ASCII)));
        }
        for (int i = 0; i < 20; i++) {
            int n = i;
            items.add(item(Expect.QUARANTINED, "unreadable", id -> ("From: mime" + n + "@x.example.org\r\nTo: " + MailDrop.PRIVACY
                    + "\r\nSubject: delete\r\nMessage-ID: " + id + "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed\r\n\r\n"
                    + "no boundary anywhere, delete my data\r\n").getBytes(StandardCharsets.US_ASCII)));
        }
        for (int i = 0; i < 8; i++) {
            int n = i;
            items.add(item(Expect.QUARANTINED, "limit", id -> concat(("From: big" + n + "@x.example.org\r\nTo: " + MailDrop.PRIVACY
                    + "\r\nSubject: delete my data\r\nMessage-ID: " + id + "\r\nContent-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
                    "delete my data ".repeat(150_000).getBytes(StandardCharsets.US_ASCII))));
        }
        java.util.Collections.shuffle(items, random);
        return items;
    }

    /** HTTP and Kafka tickets; returns how many were sent. */
    private int sendTickets() throws Exception {
        Http http = new Http(port);
        String secret = "demo-only-zendesk-secret";
        int sent = 0;
        List<Supplier<byte[]>> badBodies = List.of(
                () -> "{".getBytes(StandardCharsets.UTF_8),
                () -> "[1,2,3]".getBytes(StandardCharsets.UTF_8),
                () -> "null".getBytes(StandardCharsets.UTF_8),
                () -> randomBytes(300),
                () -> "{\"ticketId\": 5, \"requesterEmail\": \"a@b.example.org\"}".getBytes(StandardCharsets.UTF_8),
                () -> "{\"ticketId\": \"T1\", \"requesterEmail\": [\"a@b.example.org\"]}".getBytes(StandardCharsets.UTF_8),
                () -> "{\"ticketId\": \"T1\", \"requesterEmail\": \"a@b.example.org\", \"admin\": true}".getBytes(StandardCharsets.UTF_8),
                () -> "{\"ticketId\": \"T1\", \"requesterEmail\": \"a@b.example.org\", \"identityAttested\": \"yes\"}".getBytes(StandardCharsets.UTF_8),
                () -> "{\"ticketId\": \"T 1; drop\", \"requesterEmail\": \"a@b.example.org\"}".getBytes(StandardCharsets.UTF_8),
                () -> "{\"ticketId\": \"T1\", \"requesterEmail\": \"a@b.example.org\", \"type\": \"DESTROY\"}".getBytes(StandardCharsets.UTF_8),
                () -> "{\"ticketId\": \"T1\", \"requesterEmail\": \"a@b.example.org\", \"source\": \"jira\"}".getBytes(StandardCharsets.UTF_8),
                () -> "{\"ticketId\": \"T1\", \"requesterEmail\": \"a@b.example.org\", \"language\": \"fr\"}".getBytes(StandardCharsets.UTF_8),
                () -> ("{\"ticketId\": \"T1\", \"requesterEmail\": \"a@b.example.org\", \"body\": \"" + "x".repeat(70_000) + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 260; i++) {
            byte[] body = badBodies.get(i % badBodies.size()).get();
            Http.Reply r = http.post("/api/tickets", body, "X-Dsrflow-Source", "zendesk", TicketSignature.HEADER, TicketSignature.sign(secret, body));
            assertThat(r.status()).as("bad ticket %d", i).isBetween(400, 413);
            assertThat(r.json().get("error").asText()).isNotBlank();
            sent++;
        }
        for (int i = 0; i < INJECTIONS.length * 10; i++) {
            byte[] body = ticket("INJ-" + i, INJECTIONS[i % INJECTIONS.length]);
            Http.Reply r = http.post("/api/tickets", body, "X-Dsrflow-Source", "zendesk", TicketSignature.HEADER, TicketSignature.sign(secret, body));
            assertThat(r.status()).as("injected address %s", INJECTIONS[i % INJECTIONS.length]).isEqualTo(400);
            sent++;
        }
        for (int i = 0; i < 160; i++) {
            byte[] body = ticket("SIG-" + i, "sig" + i + "@valid.example.org");
            String signature = switch (i % 4) {
                case 0 -> null;
                case 1 -> TicketSignature.sign("wrong", body);
                case 2 -> "sha256=" + "0".repeat(64);
                default -> TicketSignature.sign(secret, body).substring(0, 40);
            };
            Http.Reply r = signature == null ? http.post("/api/tickets", body, "X-Dsrflow-Source", "zendesk")
                    : http.post("/api/tickets", body, "X-Dsrflow-Source", i % 8 == 3 ? "unknown" : "zendesk", TicketSignature.HEADER, signature);
            assertThat(r.status()).isEqualTo(401);
            sent++;
        }
        assertThat(count("select count(*) from dsr_case where subject_email like ?", "sig%@valid.example.org")).isZero();
        long quarantinedBefore = count("select count(*) from quarantine where channel = ?", "TICKET");
        int hostileKafka = 0;
        try (KafkaProducer<byte[], byte[]> producer = TicketIntakeTests.producer(brokers)) {
            for (int i = 0; i < 120; i++) {
                byte[] body = i % 3 == 0 ? badBodies.get(i % badBodies.size()).get() : ticket("K-" + i, "kafka" + i + "@valid.example.org");
                String signature = i % 3 == 1 ? TicketSignature.sign("wrong", body) : i % 3 == 0 ? TicketSignature.sign(secret, body) : null;
                producer.send(TicketIntakeTests.record(body, "zendesk", signature));
                hostileKafka++;
            }
            for (int i = 0; i < 20; i++) {
                byte[] body = ticket("KV-" + i, "kafka-valid" + i + "@valid.example.org");
                producer.send(TicketIntakeTests.record(body, "zendesk", TicketSignature.sign(secret, body)));
            }
            producer.flush();
        }
        sent += hostileKafka + 20;
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline) && (count("select count(*) from quarantine where channel = ?", "TICKET") < quarantinedBefore + hostileKafka
                || count("select count(*) from dsr_case where subject_email like ?", "kafka-valid%") < 20)) {
            Thread.sleep(200);
        }
        assertThat(count("select count(*) from quarantine where channel = ?", "TICKET")).isEqualTo(quarantinedBefore + hostileKafka);
        assertThat(count("select count(*) from quarantine where channel = 'TICKET' and reason = ''", null)).isZero();
        assertThat(count("select count(*) from dsr_case where subject_email like ?", "kafka-valid%")).isEqualTo(20);
        assertThat(count("select count(*) from dsr_case where subject_email ~ ?", "^kafka[0-9]+@")).isZero();
        return sent;
    }

    private void awaitEmptyInbox(MailDrop drop) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            if (drop.count("INBOX")[0] == 0) {
                return;
            }
            Thread.sleep(500);
        }
        int[] left = drop.count("INBOX");
        throw new AssertionError("the mailbox still holds " + left[0] + " mails (" + (left[0] - left[1]) + " marked read) after " + WAIT
                + "; mails failing: " + mailIntake.pendingFailures());
    }

    private long count(String sql, String arg) {
        Long n = arg == null ? caseStore.queryForObject(sql, Long.class) : caseStore.queryForObject(sql, Long.class, arg);
        return n == null ? 0 : n;
    }

    private Item item(Expect expect, String reasonPart, java.util.function.Function<String, byte[]> build) {
        String id = "<corpus-" + (serial++) + "-" + Long.toHexString(random.nextLong()) + "@hostile.example.org>";
        return new Item(id, expect, reasonPart, build.apply(id));
    }

    private byte[] textMail(String from, String id, String subject, String body, Charset charset, boolean html) {
        String encodedSubject = "=?" + charset.name() + "?B?" + Base64.getEncoder().encodeToString(subject.getBytes(charset)) + "?=";
        String content = html ? "<html><body><p>" + body + "</p><script>x()</script></body></html>" : body;
        return concat(("From: " + from + "\r\nTo: " + MailDrop.PRIVACY + "\r\nSubject: " + encodedSubject + "\r\nMessage-ID: " + id
                + "\r\nMIME-Version: 1.0\r\nContent-Type: text/" + (html ? "html" : "plain") + "; charset=" + charset.name()
                + "\r\nContent-Transfer-Encoding: base64\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
                Base64.getMimeEncoder().encode(content.getBytes(charset)));
    }

    private static byte[] nested(String from, String id, int depth) {
        StringBuilder s = new StringBuilder("From: " + from + "\r\nTo: " + MailDrop.PRIVACY + "\r\nSubject: delete my data\r\nMessage-ID: " + id
                + "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"n0\"\r\n\r\n");
        for (int d = 0; d < depth; d++) {
            s.append("--n").append(d).append("\r\nContent-Type: multipart/mixed; boundary=\"n").append(d + 1).append("\"\r\n\r\n");
        }
        s.append("--n").append(depth).append("\r\nContent-Type: text/plain\r\n\r\ndelete my data\r\n");
        for (int d = depth; d >= 0; d--) {
            s.append("--n").append(d).append("--\r\n");
        }
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] ticket(String id, String requester) throws Exception {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("ticketId", id);
        t.put("requesterEmail", requester);
        t.put("subject", "Delete my data");
        t.put("body", "Please delete my data.");
        return json.writeValueAsBytes(t);
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Bytes that are not UTF-8 (so an unknown charset cannot be guessed as UTF-8). */
    private byte[] highBytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (0xC0 + random.nextInt(0x40));
            if (i % 2 == 1) {
                b[i] = (byte) (0xC0 + random.nextInt(0x20));
            }
        }
        return b;
    }

    private static byte[] headerSection(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        return java.util.Arrays.copyOf(raw, end < 0 ? Math.min(raw.length, 16 * 1024) : end + 2);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
