package org.dsrflow.fulfilment;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.dsrflow.cases.CaseState;
import org.dsrflow.cases.CaseStore;
import org.dsrflow.cases.CaseType;
import org.dsrflow.cases.Channel;
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
}
