package org.dsrflow.fulfilment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.dsrflow.cases.CaseState;
import org.dsrflow.cases.CaseStore;
import org.dsrflow.cases.CaseType;
import org.dsrflow.cases.DsrCase;
import org.dsrflow.connector.DeferredAnswer;
import org.dsrflow.support.EmbeddedStackTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A case whose other systems are done waits, still held, up to the answer grace for a
 * system that answers later: an answer within it is concluded in the same pass, without the case
 * going to wait on systems and being claimed again; no answer, and it goes to wait after the grace.
 * The demo's notifications service (over Kafka) answers first; its task is then put back to waiting,
 * so that the test decides when "its" answer comes.
 */
class AnswerGraceTests extends EmbeddedStackTest {
    @Autowired
    CaseStore cases;
    @Autowired
    FulfilmentService fulfilment;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CamelContext camel;
    @Autowired
    ObjectMapper json;

    @Test
    void anAnswerWithinTheGraceIsConcludedInTheSamePass() throws Exception {
        Duration grace = fulfilment.answerGrace;
        FanOutByHand.stopClaiming(camel);
        try {
            // nobody the demo's systems know, and no other test asks for: every system finds nothing
            String id = FanOutByHand.verifiedCase(tx, cases, CaseType.DELETION, "grace.within@example.org");
            FanOutByHand.runAllTasks(fulfilment, jdbc, id);
            String taskRef = jdbc.queryForObject("select task_ref from connector_task where case_id = ? and system = 'notifications'",
                    String.class, id);
            FulfilmentService.ErasureResult answered = json.readValue(jdbc.queryForObject(
                    "select result from connector_task where case_id = ? and system = 'notifications'", String.class, id),
                    FulfilmentService.ErasureResult.class);
            awaitingAgain(id);

            // a long grace, so that concluding on the answer and waiting out the grace cannot be mistaken
            fulfilment.answerGrace = Duration.ofSeconds(5);
            long began = System.nanoTime();
            CompletableFuture<DsrCase> conclusion = CompletableFuture.supplyAsync(() -> fulfilment.conclude(id));
            // the answer comes only once the conclusion waits for it, so that the wake-up is what is tested
            while (!fulfilment.awaitsAnswer(id)) {
                assertThat(conclusion).as("waiting for the notifications' answer, not concluded without it").isNotDone();
                assertThat((System.nanoTime() - began) / 1_000_000).as("the conclusion began to wait").isLessThan(4000);
                Thread.sleep(5);
            }
            assertThat(fulfilment.answered(new DeferredAnswer("notifications", taskRef, DeferredAnswer.Status.NOT_FOUND, null,
                    answered.report(), answered.proof(), null, false, null))).isTrue();

            DsrCase concluded = conclusion.get(10, TimeUnit.SECONDS);
            long tookMillis = (System.nanoTime() - began) / 1_000_000;
            assertThat(concluded.state()).isEqualTo(CaseState.REPLIED);
            assertThat(tookMillis).as("concluded once the answer came, not at the end of the grace").isLessThan(3000);
            assertThat(cases.history(id)).as("never let go to wait on systems")
                    .noneMatch(t -> t.to() == CaseState.WAITING_ON_SYSTEMS);
        } finally {
            fulfilment.answerGrace = grace;
            FanOutByHand.startClaiming(camel);
        }
    }

    @Test
    void withoutAnAnswerTheCaseWaitsOnSystemsAfterTheGrace() throws Exception {
        Duration grace = fulfilment.answerGrace;
        FanOutByHand.stopClaiming(camel);
        try {
            // a longer grace than the default, so that waiting it out and not waiting at all cannot be mistaken
            fulfilment.answerGrace = Duration.ofSeconds(2);
            String id = FanOutByHand.verifiedCase(tx, cases, CaseType.DELETION, "grace.without@example.org");
            FanOutByHand.runAllTasks(fulfilment, jdbc, id);
            awaitingAgain(id);

            long began = System.nanoTime();
            DsrCase concluded = fulfilment.conclude(id);
            long tookMillis = (System.nanoTime() - began) / 1_000_000;
            assertThat(concluded.state()).isEqualTo(CaseState.WAITING_ON_SYSTEMS);
            assertThat(tookMillis).as("the whole grace waited").isGreaterThanOrEqualTo(fulfilment.answerGrace.toMillis());
            // a case already waiting on systems is looked at without waiting again
            began = System.nanoTime();
            assertThat(fulfilment.conclude(id).state()).isEqualTo(CaseState.WAITING_ON_SYSTEMS);
            assertThat((System.nanoTime() - began) / 1_000_000).isLessThan(1500);
        } finally {
            fulfilment.answerGrace = grace;
            FanOutByHand.startClaiming(camel);
        }
    }

    /** Puts the notifications' answered task back to waiting, as if its answer had not come yet. */
    private void awaitingAgain(String id) {
        assertThat(jdbc.update("update connector_task set state = 'WAITING', result = null, finished_at = null "
                + "where case_id = ? and system = 'notifications'", id)).isEqualTo(1);
    }
}
