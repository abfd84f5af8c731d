package org.dsrflow.fulfilment;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;

import org.dsrflow.cases.CaseState;
import org.dsrflow.cases.CaseStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Hands verified cases to the fan-out route. Work is claimed from the case store with a lease, so
 * several instances can share it and a case left behind by a crash is picked up again.
 */
@Component("caseWork")
public class CaseWork {
    private static final List<CaseState> READY = List.of(CaseState.VERIFIED, CaseState.IN_PROGRESS, CaseState.NEEDS_ATTENTION,
            CaseState.WAITING_ON_SYSTEMS);
    /** How long a case whose systems failed permanently is left alone: until an operator's retry releases it. */
    private static final Duration WAIT_FOR_OPERATOR = Duration.ofDays(3650);

    private final CaseStore cases;
    /** This instance: the JVM's pid@host, and a suffix so that two instances in one JVM (a test) differ too. */
    private final String worker = ManagementFactory.getRuntimeMXBean().getName() + "/" + java.util.UUID.randomUUID().toString().substring(0, 8);
    /** The cases this instance works on now: their leases are renewed until they are released. */
    private final java.util.Set<String> held = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CaseWork.class);

    private final Duration retryDelay;

    private final FulfilmentService fulfilment;

    private final org.springframework.transaction.support.TransactionTemplate tx;

    /**
     * How long a claim lasts without renewal: the longest a case waits after its instance died. The
     * renewal runs three times per lease, so a live instance keeps its cases however long they take.
     */
    private final Duration lease;

    /** At most this many cases claimed by one poll. */
    private final int claimBatch;

    /**
     * At most this many cases held by this instance at once: a poll claims only the slots left free.
     * The fan-out's own threads do not bound it: a case waiting for its systems' tasks holds no thread.
     */
    private final int parallelCases;

    private volatile boolean mayHaveMore;

    CaseWork(CaseStore cases, FulfilmentService fulfilment, @Value("${dsrflow.fulfilment.retry-delay}") Duration retryDelay,
             org.springframework.transaction.support.TransactionTemplate tx, @Value("${dsrflow.fulfilment.lease:PT1M}") Duration lease,
             @Value("${dsrflow.fulfilment.claim-batch:40}") int claimBatch,
             @Value("${dsrflow.fulfilment.parallel-cases:8}") int parallelCases) {
        if (parallelCases < 1 || claimBatch < 1) {
            throw new IllegalArgumentException("dsrflow.fulfilment.parallel-cases and claim-batch must be at least 1");
        }
        this.parallelCases = parallelCases;
        this.lease = lease;
        this.claimBatch = claimBatch;
        this.tx = tx;
        this.cases = cases;
        this.fulfilment = fulfilment;
        this.retryDelay = retryDelay;
    }

    /**
     * Claims as many ready cases as there are free slots (up to {@code claim-batch}); none, without
     * asking the case store, when every slot is taken. Cases are not claimed ahead of being worked
     * on, so a wave of requests stays in the case store, where other instances can take their share,
     * and is worked through oldest first.
     */
    public synchronized List<String> claim() {
        // synchronized: the timer's polls and the nudged ones may ask at once, and the slots are shared
        int free = Math.min(claimBatch, parallelCases - held.size());
        if (free <= 0) {
            return List.of();
        }
        List<String> claimed = cases.claim(READY, worker, lease, free);
        held.addAll(claimed);
        mayHaveMore = claimed.size() == free;
        return claimed;
    }

    /**
     * Whether ready cases may be waiting for a slot: the last claim took all it asked for, or a case
     * became ready since. A release then asks for a claim at once (see {@link ClaimNudge}).
     */
    public boolean mayHaveMore() {
        return mayHaveMore;
    }

    /** A case became ready (verified, or woken by an answer): worth a claim when a slot frees. */
    void readyCasesWaiting() {
        mayHaveMore = true;
    }

    /** Keeps the leases of the cases still being worked on (the route calls it three times per lease). */
    public void renew() {
        for (String lost : cases.renew(List.copyOf(held), worker, lease)) {
            held.remove(lost);
            log.warn("Case {} was taken over by another instance after this one's lease ran out", lost);
        }
    }

    public String worker() {
        return worker;
    }

    /** A case that still needs a system waits {@code retry-delay} before its failed systems are tried again. */
    public void release(String caseId) {
        boolean waiting;
        try {
            waiting = releaseHeld(caseId);
        } finally {
            held.remove(caseId);
        }
        // An answer recorded while this instance held the case could not wake it (a wake leaves a
        // held case alone) and may have committed after the look above: then the case would sleep
        // out the retry delay (seen as a 60 s straggler in the throughput benchmark). Look again.
        if (waiting && fulfilment.nextLook(caseId, retryDelay).isZero()) {
            cases.wake(caseId);
        }
    }

    /** Gives the case back; true when it waits on systems' answers. */
    private boolean releaseHeld(String caseId) {
        // the usual end, a case replied to: one statement, nothing to look at
        if (cases.releaseUnlessWaiting(caseId, worker)) {
            return false;
        }
        return Boolean.TRUE.equals(tx.execute(s -> {
            // locked, so an answer recorded meanwhile either is seen here or wakes the case after this
            CaseState state = cases.lock(caseId);
            if (state == null) {
                throw new org.dsrflow.cases.CaseNotFoundException(caseId);
            }
            if (state == CaseState.WAITING_ON_SYSTEMS) {
                giveBack(caseId, fulfilment.nextLook(caseId, retryDelay));
                return true;
            }
            boolean waiting = state == CaseState.NEEDS_ATTENTION;
            if (waiting && fulfilment.waitsForOperator(caseId)) {
                // a permanent error is not retried by itself: the case waits for an operator's retry
                giveBack(caseId, WAIT_FOR_OPERATOR);
                return false;
            }
            giveBack(caseId, waiting ? fulfilment.backoff(caseId, retryDelay) : Duration.ZERO);
            return false;
        }));
    }

    private void giveBack(String caseId, Duration holdFor) {
        if (!cases.release(caseId, worker, holdFor)) {
            log.warn("Case {} is held by another instance now; this one leaves it alone", caseId);
        }
    }
}
