package org.dsrflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Http;
import org.dsrflow.support.MailDrop;
import org.dsrflow.support.Mailbox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Requests written as free text to the privacy mailbox, sent over real SMTP, read by the mail
 * route over real IMAP, answered in the person's mailbox.
 */
class MailIntakeTests extends EmbeddedStackTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern REFERENCE = Pattern.compile("\\b([0-9A-HJKMNP-TV-Z]{26})\\b");
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

    @Autowired
    JdbcTemplate caseStore;

    Mailbox mailbox;
    MailDrop drop;
    Http http;

    @BeforeEach
    void clients() {
        mailbox = new Mailbox(imapPort);
        drop = new MailDrop(smtpPort, imapPort);
        http = new Http(port);
    }

    @Test
    void anEnglishAccessRequestByMailIsAnsweredInItsOwnThread() throws Exception {
        String person = "sophia.brooks@example.com";
        String id = messageId();
        drop.send(mail(person, id, "My data", "Hello,\n\nCould you please send me a copy of my personal data?\n\nThanks, Oliver"));

        Mailbox.Mail verification = mailbox.await(person, m -> m.subject().startsWith("Confirm your privacy request"), WAIT);
        assertThat(verification.inReplyTo()).isEqualTo(id);
        assertThat(verification.references()).contains(id);
        assertThat(verification.body()).contains("Access: a copy of your personal data");
        Map<String, Object> c = caseOf(reference(verification.subject()));
        assertThat(c).containsEntry("type", "ACCESS").containsEntry("channel", "EMAIL").containsEntry("language", "en")
                .containsEntry("state", "AWAITING_VERIFICATION");
        assertThat(drop.count("dsrflow-processed")[0]).isPositive();
    }

    @Test
    void aChineseAccountCancellationBecomesADeletionAnsweredInChinese() throws Exception {
        String person = "wang.fang@example.cn";
        drop.send(mail(person, messageId(), "注销账号", "您好，请注销我的账号，并删除我的全部个人信息。谢谢！"));

        Mailbox.Mail verification = mailbox.await(person, m -> m.subject().startsWith("请确认您的隐私请求"), WAIT);
        assertThat(verification.body()).contains("删除您的个人信息");
        Map<String, Object> c = caseOf(reference(verification.subject()));
        assertThat(c).containsEntry("type", "DELETION").containsEntry("language", "zh");
    }

    @Test
    void aGbkEncodedChineseMailIsRead() throws Exception {
        String person = "chen.jing@example.cn";
        drop.send(encoded("陈静 <" + person + ">", "GBK", true, "个人信息查询", "你好，我想查询你们持有的关于我的个人数据，并导出一份副本。"));

        Mailbox.Mail verification = mailbox.await(person, m -> m.subject().startsWith("请确认您的隐私请求"), WAIT);
        assertThat(caseOf(reference(verification.subject()))).containsEntry("type", "ACCESS").containsEntry("language", "zh");
    }

    @Test
    void anEnglishDeletionAndATraditionalChineseAccessRequestInBig5AreRead() throws Exception {
        String english = "jacob.barnes@example.net";
        drop.send(mail(english, messageId(), "Erase me", "Hi,\n\nplease delete my account and erase all my personal data.\n\nRegards, Jacob"));
        String chinese = "zhang.min@example.cn";
        drop.send(encoded(chinese, "Big5", false, "查詢個人資料", "您好，我想查詢貴公司保存的我的個人資料，請提供一份副本。"));

        Mailbox.Mail toEnglish = mailbox.await(english, m -> m.subject().startsWith("Confirm your privacy request"), WAIT);
        assertThat(caseOf(reference(toEnglish.subject()))).containsEntry("type", "DELETION").containsEntry("language", "en");
        Mailbox.Mail toChinese = mailbox.await(chinese, m -> m.subject().startsWith("请确认您的隐私请求"), WAIT);
        assertThat(caseOf(reference(toChinese.subject()))).containsEntry("type", "ACCESS").containsEntry("language", "zh");
    }

    @Test
    void aMailForwardedByAnAgentIsTheOriginalSendersRequestWithTheAgentInCopy() throws Exception {
        String person = "zhao.li@example.cn";
        String agent = "mei.support@support.dsrflow.localhost";
        String body = "Customer asked by mail, please handle.\n\n---------- Forwarded message ---------\n"
                + "From: Zhao Li <" + person + ">\nDate: Sat, 21 Nov 2026 10:00:00 +0800\nSubject: 删除数据\nTo: help@example.com\n\n"
                + "请删除我在贵公司的所有个人数据。\n";
        drop.send(mail(agent, messageId(), "Fwd: 删除数据", body));

        Mailbox.Mail ack = mailbox.await(person, m -> m.subject().startsWith("我们已收到您的隐私请求"), WAIT);
        assertThat(ack.cc()).isEqualTo(agent);
        assertThat(ack.body()).contains(agent);
        Mailbox.Mail verification = mailbox.await(person, m -> m.subject().startsWith("请确认您的隐私请求"), WAIT);
        assertThat(verification.cc()).as("the code goes to the person alone").isNull();
        String reference = reference(verification.subject());
        assertThat(caseOf(reference)).containsEntry("type", "DELETION").containsEntry("agent_email", agent)
                .containsEntry("subject_email", person);
        // the agent sees the acknowledgement, never the code
        List<Mailbox.Mail> agentMails = mailbox.read(agent);
        assertThat(agentMails).extracting(Mailbox.Mail::subject).containsExactly(ack.subject());
        assertThat(agentMails.get(0).body()).doesNotContainPattern("\\b\\d{6}\\b");
    }

    @Test
    void anUnclearMailAsksThePersonToChooseAndWaits() throws Exception {
        String person = "lin.na@example.cn";
        drop.send(mail(person, messageId(), "Question", "Hi, I have a question about my account and the data you have on me."));

        Mailbox.Mail ask = mailbox.await(person, m -> m.subject().startsWith("What would you like us to do?"), WAIT);
        String reference = reference(ask.subject());
        assertThat(caseOf(reference)).containsEntry("type", "UNDECIDED").containsEntry("state", "AWAITING_CLARIFICATION");
        Matcher deletion = Pattern.compile("choose\\.html\\?ref=" + reference + "&token=([A-Za-z0-9_-]+)&type=DELETION").matcher(ask.body());
        assertThat(deletion.find()).isTrue();
        assertThat(ask.body()).contains("type=ACCESS");

        Http.Reply wrong = http.postJson("/api/requests/" + reference + "/choice", "{\"token\":\"" + "x".repeat(43) + "\",\"type\":\"DELETION\"}");
        assertThat(wrong.status()).isEqualTo(400);
        Http.Reply chosen = http.postJson("/api/requests/" + reference + "/choice", "{\"token\":\"" + deletion.group(1) + "\",\"type\":\"DELETION\"}");
        assertThat(chosen.status()).isEqualTo(200);
        assertThat(chosen.body()).contains("\"type\":\"DELETION\"").contains("AWAITING_VERIFICATION");
        Http.Reply again = http.postJson("/api/requests/" + reference + "/choice", "{\"token\":\"" + deletion.group(1) + "\",\"type\":\"ACCESS\"}");
        assertThat(again.status()).as("a choice link works once").isEqualTo(409);

        Mailbox.Mail verification = mailbox.await(person, m -> m.subject().startsWith("Confirm your privacy request " + reference), WAIT);
        assertThat(verification.body()).contains("Deletion of your personal data");
        assertThat(verification.inReplyTo()).isEqualTo(ask.messageId());
    }

    @Test
    void autoRepliesAreNeverAnswered() throws Exception {
        String person = "hu.jun@example.cn";
        String id = messageId();
        String raw = "From: " + person + "\r\nTo: " + MailDrop.PRIVACY + "\r\nSubject: Out of office: please delete my data\r\n"
                + "Message-ID: " + id + "\r\nAuto-Submitted: auto-replied\r\nContent-Type: text/plain\r\n\r\n"
                + "I am away until Monday. Please delete my data.\r\n";
        drop.send(raw);

        awaitTaken(id);
        assertThat(caseStore.queryForObject("select count(*) from dsr_case where subject_email = ?", Integer.class, person)).isZero();
        assertThat(caseStore.queryForObject("select count(*) from audit_log where action = 'intake.ignored' and detail like ?",
                Integer.class, "%auto-submitted%")).isPositive();
        Thread.sleep(1000);
        assertThat(mailbox.read(person)).isEmpty();
    }

    @Test
    void askingTwiceJoinsTheOpenRequestAndTheSameMailTwiceIsTakenOnce() throws Exception {
        String person = "ma.chao@example.cn";
        String first = messageId();
        String raw = mail(person, first, "Delete my data", "Please delete my account and all my data.");
        drop.send(raw);
        Mailbox.Mail verification = mailbox.await(person, m -> m.subject().startsWith("Confirm your privacy request"), WAIT);
        String reference = reference(verification.subject());

        drop.send(raw); // the very same mail again (same Message-ID): nothing new happens
        drop.send(mail(person, messageId(), "Again", "Hello? I asked you to erase my data. Please delete my data."));

        Mailbox.Mail joined = mailbox.await(person, m -> m.subject().equals("Your privacy request " + reference + " is already open"), WAIT);
        assertThat(joined.body()).contains("waiting for you to confirm your address");
        assertThat(caseStore.queryForObject("select count(*) from dsr_case where subject_email = ?", Integer.class, person)).isEqualTo(1);
        assertThat(caseStore.queryForList("select outcome from case_request where case_id = ? order by id", String.class, reference))
                .containsExactly("NEW", "JOINED");
        Thread.sleep(1500);
        assertThat(mailbox.read(person)).hasSize(2);
    }

    @Test
    void theSameRequestAfterTheFirstWasAnsweredIsANewCase() throws Exception {
        String person = "nora.quinn@example.org";
        String text = "Please send me a copy of my personal data.";
        drop.send(mail(person, messageId(), "Copy of my data", text));
        Mailbox.Mail first = mailbox.await(person, m -> m.subject().startsWith("Confirm your privacy request"), WAIT);
        String firstCase = reference(first.subject());
        Http.Reply verified = http.postJson("/api/requests/" + firstCase + "/verification",
                "{\"code\":\"" + code(first.body()) + "\"}");
        assertThat(verified.status()).as(verified.body()).isEqualTo(200);
        awaitState(firstCase, "REPLIED");

        drop.send(mail(person, messageId(), "Copy of my data", text));
        Mailbox.Mail second = mailbox.await(person,
                m -> m.subject().startsWith("Confirm your privacy request") && !m.subject().contains(firstCase), WAIT);
        String secondCase = reference(second.subject());
        assertThat(secondCase).isNotEqualTo(firstCase);
        assertThat(caseOf(secondCase)).containsEntry("state", "AWAITING_VERIFICATION").containsEntry("type", "ACCESS");
        assertThat(caseOf(firstCase)).containsEntry("state", "REPLIED");
    }

    @Test
    void theWebFormJoinsAnOpenMailRequestToo() throws Exception {
        String person = "xu.ting@example.cn";
        drop.send(mail(person, messageId(), "访问请求", "我想获取我的个人数据副本。"));
        Mailbox.Mail verification = mailbox.await(person, m -> m.subject().startsWith("请确认您的隐私请求"), WAIT);
        String reference = reference(verification.subject());

        Http.Reply web = http.postJson("/api/requests", "{\"type\":\"ACCESS\",\"email\":\"" + person + "\",\"language\":\"zh\"}");
        assertThat(web.status()).isEqualTo(200);
        assertThat(web.body()).contains("\"reference\":\"" + reference + "\"").contains("\"joined\":true");
        Http.Reply deletion = http.postJson("/api/requests", "{\"type\":\"DELETION\",\"email\":\"" + person + "\",\"language\":\"zh\"}");
        assertThat(deletion.status()).as("a different request is a case of its own").isEqualTo(201);
    }

    @Test
    void aMailSomeoneAlreadyOpenedInTheMailboxIsStillTakenIn() throws Exception {
        // a person read the privacy mailbox in a mail client first: the mail is marked read, and is still a request
        String person = "ada.lindqvist@example.org";
        String id = messageId();
        drop.appendRead(mail(person, id, "Copy of my data", "Please send me a copy of my personal data.").getBytes(StandardCharsets.UTF_8));

        Mailbox.Mail verification = mailbox.await(person, m -> m.subject().startsWith("Confirm your privacy request"), WAIT);
        assertThat(verification.inReplyTo()).isEqualTo(id);
        assertThat(caseStore.queryForObject("select count(*) from dsr_case where subject_email = ?", Integer.class, person)).isEqualTo(1);
    }

    @Test
    void aHandledMailLeftReadInTheInboxIsMovedOutAndNotTakenTwice() throws Exception {
        // the state a failed move leaves behind: the mail was handled and marked read, but is still in the inbox
        String person = "otto.brandt@example.org";
        String id = messageId();
        byte[] raw = mail(person, id, "Delete my data", "Please delete my account and all my data.").getBytes(StandardCharsets.UTF_8);
        drop.send(raw);
        mailbox.await(person, m -> m.subject().startsWith("Confirm your privacy request"), WAIT);
        Instant moved = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(moved) && drop.count("INBOX")[0] > 0) {
            Thread.sleep(200);
        }
        int processed = drop.count("dsrflow-processed")[0];
        drop.appendRead(raw);

        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline) && drop.count("dsrflow-processed")[0] == processed) {
            Thread.sleep(200);
        }
        assertThat(drop.count("dsrflow-processed")[0]).as("the copy put back was moved out of the inbox").isEqualTo(processed + 1);
        assertThat(caseStore.queryForObject("select count(*) from case_request where source_ref = ?", Integer.class, "mail:mid:" + id))
                .isEqualTo(1);
        Thread.sleep(1000);
        assertThat(mailbox.read(person)).as("one verification mail, not two").hasSize(1);
    }

    private void awaitTaken(String messageId) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            Integer n = caseStore.queryForObject("select count(*) from inbound_message where message_key = ?", Integer.class,
                    "mid:" + messageId);
            if (n != null && n > 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("mail " + messageId + " was not taken in within " + WAIT);
    }

    private static String code(String body) {
        Matcher m = CODE.matcher(body);
        assertThat(m.find()).as("code in the mail").isTrue();
        return m.group(1);
    }

    private void awaitState(String reference, String state) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline) && !state.equals(caseOf(reference).get("state"))) {
            Thread.sleep(200);
        }
        assertThat(caseOf(reference)).containsEntry("state", state);
    }

    private Map<String, Object> caseOf(String reference) {
        return caseStore.queryForMap("select * from dsr_case where id = ?", reference);
    }

    static String mail(String from, String messageId, String subject, String body) {
        return "From: " + from + "\r\nTo: " + MailDrop.PRIVACY + "\r\nSubject: " + encode(subject) + "\r\nMessage-ID: " + messageId
                + "\r\nDate: Sun, 22 Nov 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\n" + body.replace("\n", "\r\n") + "\r\n";
    }

    static String encode(String subject) {
        return subject.chars().allMatch(c -> c < 128) ? subject
                : "=?UTF-8?B?" + Base64.getEncoder().encodeToString(subject.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "?=";
    }

    static String messageId() {
        return "<" + UUID.randomUUID() + "@mail.example.org>";
    }

    private static String reference(String subject) {
        Matcher m = REFERENCE.matcher(subject);
        assertThat(m.find()).as("reference in " + subject).isTrue();
        return m.group(1);
    }

    /** A mail in a legacy charset, its subject encoded-word and its body as base64 or raw 8-bit bytes. */
    private byte[] encoded(String from, String charsetName, boolean base64, String subject, String text) {
        Charset charset = Charset.forName(charsetName);
        String head = "From: " + from + "\r\nTo: " + MailDrop.PRIVACY + "\r\nSubject: =?" + charsetName + "?B?"
                + Base64.getEncoder().encodeToString(subject.getBytes(charset)) + "?=\r\nMessage-ID: " + messageId()
                + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=" + charsetName
                + "\r\nContent-Transfer-Encoding: " + (base64 ? "base64" : "8bit") + "\r\n\r\n";
        byte[] body = text.getBytes(charset);
        return concat(head.getBytes(charset), base64 ? Base64.getMimeEncoder().encode(body) : body);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
