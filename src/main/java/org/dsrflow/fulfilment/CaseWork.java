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
    private static final List<CaseState> READY = List.of(CaseState.VERIFIED, CaseState.IN_PROGRESS, CaseState.NEEDS_ATTENTION);
    private static final Duration LEASE = Duration.ofMinutes(5);
    /** How long a case whose systems failed permanently is left alone: until an operator's retry releases it. */
    private static final Duration WAIT_FOR_OPERATOR = Duration.ofDays(3650);

    private final CaseStore cases;
    private final String worker = ManagementFactory.getRuntimeMXBean().getName();

    private final Duration retryDelay;

    private final FulfilmentService fulfilment;

    CaseWork(CaseStore cases, FulfilmentService fulfilment, @Value("${dsrflow.fulfilment.retry-delay}") Duration retryDelay) {
        this.cases = cases;
        this.fulfilment = fulfilment;
        this.retryDelay = retryDelay;
    }

    public List<String> claim() {
        return cases.claim(READY, worker, LEASE, 10);
    }

    /** A case that still needs a system waits {@code retry-delay} before its failed systems are tried again. */
    public void release(String caseId) {
        boolean waiting = cases.get(caseId).state() == CaseState.NEEDS_ATTENTION;
        if (waiting && fulfilment.waitsForOperator(caseId)) {
            // a permanent error is not retried by itself: the case waits for an operator's retry
            cases.release(caseId, WAIT_FOR_OPERATOR);
            return;
        }
        cases.release(caseId, waiting ? retryDelay : Duration.ZERO);
    }
}
