package org.dsrflow.fulfilment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.dsrflow.cases.CaseState;
import org.dsrflow.cases.CaseStore;
import org.dsrflow.cases.CaseType;
import org.dsrflow.cases.Channel;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** For tests that play the fan-out's steps themselves: the application's claims stopped, and verified cases to work on. */
final class FanOutByHand {
    /** The timer's polls. */
    static final String POLL = "dsr-fulfilment-poll";
    /** The claim itself, which the polls and the nudges run. */
    static final String CLAIM = "dsr-fulfilment-claim";

    private FanOutByHand() {
    }

    static void stopClaiming(CamelContext camel) throws Exception {
        camel.getRouteController().stopRoute(POLL, 20, TimeUnit.SECONDS);
        camel.getRouteController().stopRoute(CLAIM, 20, TimeUnit.SECONDS);
    }

    static void startClaiming(CamelContext camel) throws Exception {
        camel.getRouteController().startRoute(CLAIM);
        camel.getRouteController().startRoute(POLL);
    }

    /** A case of this person, verified and ready for the fan-out. */
    static String verifiedCase(TransactionTemplate tx, CaseStore cases, CaseType type, String email) {
        return tx.execute(s -> {
            String id = cases.create(type, Channel.API, email, email, "en", "test").id();
            cases.transition(id, CaseState.AWAITING_VERIFICATION, "test", "code sent");
            cases.markVerified(id, Instant.now(), "test");
            return id;
        });
    }

    /** Waits for the systems answering later (the demo's notifications, over Kafka) to answer the case's tasks. */
    static void awaitAllFinal(JdbcTemplate jdbc, String id) throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        while (jdbc.queryForObject("select count(*) from connector_task where case_id = ? and state not in ('DONE', 'NOT_FOUND', 'RETAINED')",
                Integer.class, id) > 0) {
            assertThat(Instant.now()).as("every system answered").isBefore(until);
            Thread.sleep(100);
        }
    }

    /** Runs every system's task of the case, as one pass of the fan-out would, and waits for the answers that come later. */
    static void runAllTasks(FulfilmentService fulfilment, JdbcTemplate jdbc, String id) throws InterruptedException {
        fulfilment.plan(id).forEach(fulfilment::runTask);
        awaitAllFinal(jdbc, id);
    }
}
