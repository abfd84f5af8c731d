package org.dsrflow.cases;

/**
 * Published when a case waiting on systems becomes claimable again (an answer it waited for was
 * recorded), so the fan-out can take it up at once instead of at its next poll.
 */
public record CaseWoken(String caseId) {
}
