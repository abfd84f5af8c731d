package org.dsrflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.dsrflow.outbox.Outbox;
import org.dsrflow.outbox.OutgoingMail;
import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Http;
import org.dsrflow.support.Mailbox;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The mail lane sends a case's mails one per round, in the order they were written, and goes on
 * round after round while there is mail: a case's second mail (the passcode after its reply) does
 * not wait for the next poll.
 */
class MailRoundsTests extends EmbeddedStackTest {
    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    Outbox outbox;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcTemplate caseStore;

    @Test
    void onePollSendsEveryMailOfACaseInItsOrder() throws Exception {
        camel.getRouteController().stopRoute("dsr-outbox-mail");
        Exchange poll;
        String first;
        String second;
        try {
            first = request("rounds.first@example.com");
            second = request("rounds.second@example.com");
            tx.executeWithoutResult(s -> {
                outbox.enqueueMail(first, mail("rounds.first@example.com", "second mail of " + first));
                outbox.enqueueMail(first, mail("rounds.first@example.com", "third mail of " + first));
            });
            assertThat(unsent(first)).as("the poll is stopped: the verification mail and two more wait").isEqualTo(3);

            poll = producer.send("direct:dsr-outbox-mail-rounds", e -> { });
        } finally {
            camel.getRouteController().startRoute("dsr-outbox-mail");
        }

        assertThat(poll.getException()).isNull();
        assertThat(unsent(first)).as("one poll sent all three of the first case's mails").isZero();
        assertThat(unsent(second)).isZero();
        assertThat(poll.getProperty("dsrMailRounds", Integer.class)).as("three rounds with mail, then one that found none")
                .isGreaterThanOrEqualTo(4);
        assertThat(poll.getProperty("dsrMailClaimed", Integer.class)).as("it stopped because nothing was due").isZero();

        Mailbox mailbox = new Mailbox(imapPort);
        mailbox.await("rounds.first@example.com", m -> m.subject().equals("third mail of " + first), Duration.ofSeconds(30));
        List<String> subjects = mailbox.read("rounds.first@example.com").stream().map(Mailbox.Mail::subject).toList();
        assertThat(subjects).hasSize(3);
        assertThat(subjects.get(0)).as("the verification mail, written first, arrived first").contains(first)
                .doesNotContain("mail of");
        assertThat(subjects.subList(1, 3)).containsExactly("second mail of " + first, "third mail of " + first);
    }

    @Test
    void aPollStopsWhenARoundFindsNothingOrAfterItsLastRound() {
        Outbox twoRounds = new Outbox(caseStore, new com.fasterxml.jackson.databind.ObjectMapper(), Duration.ofMinutes(2), 2);
        Exchange poll = new DefaultExchange(camel);
        assertThat(twoRounds.anotherMailRound(poll)).as("the first round always runs").isTrue();
        poll.setProperty("dsrMailClaimed", 5);
        assertThat(twoRounds.anotherMailRound(poll)).as("the last round sent mail").isTrue();
        assertThat(twoRounds.anotherMailRound(poll)).as("two rounds are this poll's limit").isFalse();

        Exchange quiet = new DefaultExchange(camel);
        assertThat(twoRounds.anotherMailRound(quiet)).isTrue();
        quiet.setProperty("dsrMailClaimed", 0);
        assertThat(twoRounds.anotherMailRound(quiet)).as("a round that claimed nothing ends the poll").isFalse();
    }

    @Test
    void theLaneSendsAgainAfterItsRoutesWereStoppedAndStartedAgain() throws Exception {
        // as the drills stop and start every route: the rounds' loop must not stay stopped
        camel.getRouteController().stopRoute("dsr-outbox-mail");
        camel.getRouteController().stopRoute("dsr-outbox-mail-rounds");
        camel.getRouteController().startRoute("dsr-outbox-mail");
        camel.getRouteController().startRoute("dsr-outbox-mail-rounds");

        String reference = request("rounds.restart@example.com");
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
        while (unsent(reference) > 0 && java.time.Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(unsent(reference)).as("the verification mail went out after the restart").isZero();
    }

    @Test
    void aPollStopsWhenItsLaneIsBeingStopped() throws Exception {
        Exchange fromTimer = new DefaultExchange(camel);
        fromTimer.getExchangeExtension().setFromRouteId("dsr-outbox-mail");
        Exchange fromRounds = new DefaultExchange(camel);
        fromRounds.getExchangeExtension().setFromRouteId("dsr-outbox-mail-rounds");
        assertThat(outbox.anotherMailRound(fromTimer)).as("both routes run").isTrue();

        camel.getRouteController().stopRoute("dsr-outbox-mail");
        try {
            Exchange laterFromTimer = new DefaultExchange(camel);
            laterFromTimer.getExchangeExtension().setFromRouteId("dsr-outbox-mail");
            assertThat(outbox.anotherMailRound(laterFromTimer)).as("the timer's route is stopped: its poll ends").isFalse();
            assertThat(outbox.anotherMailRound(fromRounds)).as("a poll started on the rounds' own route goes on").isTrue();
        } finally {
            camel.getRouteController().startRoute("dsr-outbox-mail");
        }
    }

    private String request(String email) throws Exception {
        Http.Reply reply = new Http(port).postJson("/api/requests", "{\"type\":\"ACCESS\",\"email\":\"" + email + "\",\"language\":\"en\"}");
        assertThat(reply.status()).isEqualTo(201);
        return reply.json().path("reference").asText();
    }

    private int unsent(String caseId) {
        return caseStore.queryForObject("select count(*) from outbox where case_id = ? and kind = 'MAIL' and sent_at is null",
                Integer.class, caseId);
    }

    private static OutgoingMail mail(String to, String subject) {
        return new OutgoingMail(to, List.of(), subject, "body of " + subject, "<" + java.util.UUID.randomUUID() + "@dsrflow.test>",
                null, null);
    }
}
