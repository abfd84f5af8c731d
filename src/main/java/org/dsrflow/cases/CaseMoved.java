package org.dsrflow.cases;

import java.time.Instant;

/**
 * Published inside the transaction that creates or moves a case, so a listener's own writes
 * (ticket updates, for one) commit or roll back with the move. {@code fromSince} is when the case
 * entered the state it left (null for a new case).
 */
public record CaseMoved(DsrCase current, CaseState from, Instant fromSince, Instant at) {
}
