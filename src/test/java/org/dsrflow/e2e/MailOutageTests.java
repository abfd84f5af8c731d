package org.dsrflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Http;
import org.dsrflow.support.Mailbox;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The mail server is down when a mail is due: the mail waits in the outbox with its error and goes out, once, when it is back. */
class MailOutageTests extends EmbeddedStackTest {
    @Autowired
    GreenMail mailServer;
    @Autowired
    JdbcTemplate caseStore;

    @Test
    void aMailThatCannotBeSentIsKeptAndSentOnceTheServerIsBack() throws Exception {
        String person = "mia.price@example.com";
        mailServer.stop();
        String reference;
        try {
            Http.Reply reply = new Http(port).postJson("/api/requests", "{\"type\":\"DELETION\",\"email\":\"" + person + "\",\"language\":\"en\"}");
            assertThat(reply.status()).as("intake does not depend on the mail server").isEqualTo(201);
            reference = reply.json().path("reference").asText();

            Map<String, Object> item = awaitFailedMail(reference);
            assertThat(item.get("sent_at")).isNull();
            assertThat((String) item.get("last_error")).isNotBlank();
        } finally {
            mailServer.start();
        }

        Mailbox mailbox = new Mailbox(imapPort);
        mailbox.await(person, m -> m.subject().contains(reference), Duration.ofSeconds(60));
        assertThat(caseStore.queryForObject("select count(*) from outbox where case_id = ? and kind = 'MAIL' and sent_at is null",
                Integer.class, reference)).isZero();
        assertThat(mailbox.read(person)).filteredOn(m -> m.subject().contains(reference)).hasSize(1);
    }

    private Map<String, Object> awaitFailedMail(String reference) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            var rows = caseStore.queryForList("select sent_at, last_error, attempts from outbox where case_id = ? and kind = 'MAIL' "
                    + "and last_error is not null", reference);
            if (!rows.isEmpty()) {
                return rows.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the verification mail of " + reference + " never recorded a failed attempt");
    }
}
