package org.dsrflow.cases;

import java.time.Instant;

/** One recorded move of a case. */
public record CaseTransition(CaseState from, CaseState to, Instant at, String actor, String reason) {
}
