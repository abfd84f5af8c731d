package org.dsrflow.cases;

import java.time.Instant;

/**
 * Published inside the transaction that creates or moves a case, so a listener's own writes
 * (ticket updates, for one) commit or roll back with the move.
 */
public record CaseMoved(DsrCase current, CaseState from, Instant at) {
}
