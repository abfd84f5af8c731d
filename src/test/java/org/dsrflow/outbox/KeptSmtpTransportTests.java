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

/**
 * Mails sent through camel-mail share kept SMTP connections: several mails, one connection; a
 * kept connection the server has dropped is replaced and its mail still arrives, once.
 */
class KeptSmtpTransportTests extends EmbeddedStackTest {
    @Autowired
    ProducerTemplate producer;
    @Autowired
    GreenMail mailServer;
    /**
     * The demo's mail server under another name than the application's URI (localhost), so that
     * the connections counted here are this test's, not those of the outbox sending meanwhile.
     */
    private String uri() {
        return "smtp://127.0.0.1:" + smtpPort;
    }

    private long opened() {
        return KeptSmtpTransport.opened("127.0.0.1", smtpPort);
    }

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
        long before = opened();
        for (int i = 1; i <= 5; i++) {
            send("kept.one@example.com", "kept connection mail " + i);
        }
        assertThat(opened() - before).as("five mails, one connection").isEqualTo(1);

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
        long before = opened();

        mailServer.stop();
        mailServer.start();
        send("kept.two@example.com", "after the restart");

        assertThat(opened() - before).as("the dropped connection was replaced by a new one").isEqualTo(1);
        Mailbox mailbox = new Mailbox(imapPort);
        mailbox.await("kept.two@example.com", m -> m.subject().equals("after the restart"), Duration.ofSeconds(30));
        assertThat(mailbox.read("kept.two@example.com")).filteredOn(m -> m.subject().equals("after the restart")).hasSize(1);
    }

    private void send(String to, String subject) {
        producer.sendBodyAndHeaders(uri(), "Hello from the kept-connection test.",
                Map.of("To", to, "From", "privacy@dsrflow.localhost", "Subject", subject));
    }
}
