package org.dsrflow.fulfilment;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ServiceStatus;
import org.dsrflow.DaemonPools;
import org.dsrflow.cases.CaseMoved;
import org.dsrflow.cases.CaseState;
import org.dsrflow.cases.CaseWoken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Claims as soon as there is work and room for it, instead of at the next poll: when a case is
 * verified, when an answer wakes a case waiting on systems, and when a case is released while
 * ready cases may still be waiting. Without it a slot stayed empty for half a poll period on
 * average, twice per case (the fan-out, then the conclusion after a deferred system's answer).
 *
 * <p>A nudge runs the claim route, within this instance's slots as any poll does. Nudges that
 * come while one waits to run are one claim, and the timer keeps polling as before (work
 * released by other instances, a nudge lost in a restart). With the claim route stopped, nudges
 * do nothing.
 */
@Component("claimNudge")
class ClaimNudge {
    private static final Logger log = LoggerFactory.getLogger(ClaimNudge.class);
    static final String CLAIM_ROUTE = "dsr-fulfilment-claim";

    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final CaseWork work;
    private final ExecutorService thread = DaemonPools.fixed("dsrflow-claim-nudge", 1);
    /** A nudge is queued and has not started yet: later ones would find the same cases. */
    private final AtomicBoolean queued = new AtomicBoolean();

    ClaimNudge(CamelContext camel, ProducerTemplate producer, CaseWork work) {
        this.camel = camel;
        this.producer = producer;
        this.work = work;
    }

    /** A newly verified case (after its transaction commits, so the claim can see it). */
    @TransactionalEventListener(fallbackExecution = true)
    public void caseMoved(CaseMoved moved) {
        if (moved.current().state() == CaseState.VERIFIED) {
            readyNow();
        }
    }

    /** A case whose awaited answer came. */
    @TransactionalEventListener(fallbackExecution = true)
    public void caseWoken(CaseWoken woken) {
        readyNow();
    }

    /** Called by the fan-out route after it released a case: the slot is taken up again at once if work waits. */
    public void slotFreed() {
        if (work.mayHaveMore()) {
            nudge();
        }
    }

    private void readyNow() {
        work.readyCasesWaiting();
        nudge();
    }

    private void nudge() {
        if (!queued.compareAndSet(false, true)) {
            return;
        }
        try {
            thread.execute(this::claimNow);
        } catch (RejectedExecutionException e) {
            queued.set(false);
        }
    }

    private void claimNow() {
        // cleared first: a case made ready while this claim runs asks for one more
        queued.set(false);
        if (camel.getRouteController().getRouteStatus(CLAIM_ROUTE) != ServiceStatus.Started) {
            return;
        }
        try {
            // not waited for: the route returns when the claimed cases are done, and the next nudge may come first
            producer.asyncSendBody("direct:" + CLAIM_ROUTE, null);
        } catch (RuntimeException e) {
            // the context is stopping: the next start's polls claim instead
            log.debug("A nudged claim did not start: {}", e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }
}
