package org.dsrflow.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import org.apache.camel.ProducerTemplate;
import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Mailbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * Mails sent through camel-mail share kept SMTP connections: several mails, one connection; a
 * kept connection the server has dropped is replaced and its mail still arrives, once.
 */
class KeptSmtpTransportTests extends EmbeddedStackTest {
    @Autowired
    ProducerTemplate producer;
    @Autowired
    GreenMail mailServer;
    @Value("${dsrflow.mail.smtp.uri}")
    String smtpUri;

    private Duration checkAfter;

    @BeforeEach
    void noIdleConnections() {
        checkAfter = KeptSmtpTransport.checkAfter;
        KeptSmtpTransport.closeIdle();
    }

    @AfterEach
    void restore() {
        KeptSmtpTransport.checkAfter = checkAfter;
    }

    @Test
    void mailsOneAfterAnotherShareOneConnection() throws Exception {
        long before = KeptSmtpTransport.opened();
        for (int i = 1; i <= 5; i++) {
            send("kept.one@example.com", "kept connection mail " + i);
        }
        assertThat(KeptSmtpTransport.opened() - before).as("five mails, one connection").isEqualTo(1);

        Mailbox mailbox = new Mailbox(imapPort);
        mailbox.await("kept.one@example.com", m -> m.subject().equals("kept connection mail 5"), Duration.ofSeconds(30));
        assertThat(mailbox.read("kept.one@example.com")).extracting(Mailbox.Mail::subject)
                .containsExactly("kept connection mail 1", "kept connection mail 2", "kept connection mail 3",
                        "kept connection mail 4", "kept connection mail 5");
    }

    @Test
    void aKeptConnectionTheServerDroppedIsReplacedAndTheMailArrivesOnce() throws Exception {
        // no NOOP check before reuse: the send itself meets the dropped connection
        KeptSmtpTransport.checkAfter = Duration.ofHours(1);
        send("kept.two@example.com", "before the restart");
        long before = KeptSmtpTransport.opened();

        mailServer.stop();
        mailServer.start();
        send("kept.two@example.com", "after the restart");

        assertThat(KeptSmtpTransport.opened() - before).as("the dropped connection was replaced by a new one").isEqualTo(1);
        Mailbox mailbox = new Mailbox(imapPort);
        mailbox.await("kept.two@example.com", m -> m.subject().equals("after the restart"), Duration.ofSeconds(30));
        assertThat(mailbox.read("kept.two@example.com")).filteredOn(m -> m.subject().equals("after the restart")).hasSize(1);
    }

    private void send(String to, String subject) {
        producer.sendBodyAndHeaders(smtpUri, "Hello from the kept-connection test.",
                Map.of("To", to, "From", "privacy@dsrflow.localhost", "Subject", subject));
    }
}
