package org.dsrflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Http;
import org.dsrflow.support.MailDrop;
import org.dsrflow.support.Mailbox;
import org.dsrflow.support.StaffSession;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Runs the end-to-end flows — an access request on the web form, a deletion with the phone check,
 * a request by mail with a name and phone in it, a rejection from the console, a wrong code — while
 * capturing everything the application logs, then scans the capture: no subject's address, name or
 * phone may appear, and no e-mail address at all but dsrflow's own and the systems' owners'.
 * The in-process mail server and the demo systems are stand-ins for servers outside dsrflow and
 * are not scanned (com.icegreen, org.dsrflow.demo).
 */
class LogPrivacyTests extends EmbeddedStackTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+\\.)+[A-Za-z]{2,63}");
    private static final Pattern CODE_TOKEN = Pattern.compile("[?&]token=([A-Za-z0-9_-]+)");
    /** Addresses that are not data subjects: dsrflow's own, staff queues, system owners. */
    private static final Set<String> NOT_SUBJECTS = Set.of("privacy@example.com", MailDrop.PRIVACY, "privacy-support@example.com",
            "privacy-managers@example.com", "archive-owner@example.com");

    /** Keeps every event's text, its exception included, as the log file would show it. */
    static final class Capture extends AppenderBase<ILoggingEvent> {
        final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        protected void append(ILoggingEvent e) {
            if (e.getLoggerName().startsWith("com.icegreen") || e.getLoggerName().startsWith("org.dsrflow.demo")) {
                return;
            }
            String text = e.getLoggerName() + " " + e.getFormattedMessage();
            if (e.getThrowableProxy() != null) {
                text += "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy());
            }
            lines.add(text);
        }
    }

    @Test
    void theEndToEndFlowsLogNoSubjectsAddressNameOrPhone() throws Exception {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Capture capture = new Capture();
        capture.start();
        root.addAppender(capture);
        try {
            // a canary the scan must find, so a scan that silently sees nothing cannot pass
            LoggerFactory.getLogger("org.dsrflow.canary").info("canary for canary.subject@example.org");
            runFlows();
        } finally {
            root.detachAppender(capture);
        }
        List<String> leaks = new ArrayList<>();
        String[] subjects = {"bob.kumar", "Bob Kumar", "0143", "noah.hayes", "Noah Hayes", "0165", "ivy.lambert", "Ivy Lambert",
                "7946 0321", "7946-0321", "rhys.morgan", "Rhys Morgan"};
        synchronized (capture.lines) {
            for (String line : capture.lines) {
                for (String s : subjects) {
                    if (line.contains(s)) {
                        leaks.add("[" + s + "] " + line);
                    }
                }
                Matcher m = EMAIL.matcher(line);
                while (m.find()) {
                    if (!NOT_SUBJECTS.contains(m.group().toLowerCase(java.util.Locale.ROOT))) {
                        leaks.add("[address " + m.group() + "] " + line);
                    }
                }
            }
            java.nio.file.Files.createDirectories(java.nio.file.Path.of("target"));
            java.nio.file.Files.write(java.nio.file.Path.of("target", "log-privacy-capture.txt"), capture.lines);
            assertThat(capture.lines.size()).as("the flows were logged at all (target/log-privacy-capture.txt)").isGreaterThan(10);
        }
        assertThat(leaks).as("the canary is found").anyMatch(l -> l.startsWith("[address canary.subject@example.org]"));
        leaks.removeIf(l -> l.contains("org.dsrflow.canary"));
        assertThat(leaks).as("personal data in the application log").isEmpty();
    }

    private void runFlows() throws Exception {
        Http http = new Http(port);
        Mailbox mailbox = new Mailbox(imapPort);

        // access on the web form, verified by code: the package is built and the reply sent
        String access = created(http, "ACCESS", "bob.kumar@example.com");
        Mailbox.Mail code = mailbox.await("bob.kumar@example.com", m -> m.subject().contains(access), WAIT);
        assertThat(http.postJson("/api/requests/" + access + "/verification", "{\"code\":\"" + group("\\b(\\d{6})\\b", code.body()) + "\"}")
                .status()).isEqualTo(200);
        http.awaitState(access, "REPLIED");

        // deletion: a wrong code first, then the link with the phone on the account
        String deletion = created(http, "DELETION", "noah.hayes@example.net");
        Mailbox.Mail link = mailbox.await("noah.hayes@example.net", m -> m.subject().contains(deletion), WAIT);
        assertThat(http.postJson("/api/requests/" + deletion + "/verification", "{\"code\":\"000000\"}").status()).isIn(400, 409, 422);
        String token = group(CODE_TOKEN.pattern(), link.body());
        assertThat(http.postJson("/api/requests/" + deletion + "/verification", "{\"token\":\"" + token + "\",\"phone\":\"+1 555 0100\"}")
                .status()).isNotEqualTo(200);
        assertThat(http.postJson("/api/requests/" + deletion + "/verification", "{\"token\":\"" + token + "\",\"phone\":\"+1 555 0165\"}")
                .status()).isEqualTo(200);
        http.awaitState(deletion, "REPLIED");

        // a request by mail that names the person and a phone in its text
        MailDrop drop = new MailDrop(smtpPort, imapPort);
        drop.send("From: Ivy Lambert <ivy.lambert@example.org>\r\nTo: " + MailDrop.PRIVACY + "\r\nSubject: My data\r\nMessage-ID: <"
                + java.util.UUID.randomUUID() + "@mail.example.org>\r\nDate: Sun, 22 Nov 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\nHello,\r\nplease send me a copy of my personal data.\r\n"
                + "You can call me on +44 20 7946 0321.\r\nIvy Lambert\r\n");
        mailbox.await("ivy.lambert@example.org", m -> m.subject().contains("privacy request"), WAIT);

        // a request an agent rejects from the console
        String rejected = created(http, "ACCESS", "rhys.morgan@example.org");
        StaffSession agent = new StaffSession(port);
        agent.signIn("agent", "demo-only-password");
        assertThat(agent.postJson("/api/console/cases/" + rejected + "/actions/reject", "{\"reason\":\"Rhys Morgan asked us to drop it\"}")
                .status()).isEqualTo(200);
        mailbox.await("rhys.morgan@example.org", m -> m.subject().contains("declined"), WAIT);
    }

    private static String created(Http http, String type, String email) throws Exception {
        Http.Reply r = http.postJson("/api/requests", "{\"type\":\"" + type + "\",\"email\":\"" + email + "\",\"language\":\"en\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("reference").asText();
    }

    private static String group(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }
}
