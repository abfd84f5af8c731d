package org.dsrflow.cases;

/** A move the state machine does not allow, or one that lost a race with another move. */
public class IllegalTransitionException extends RuntimeException {
    public IllegalTransitionException(String caseId, CaseState from, CaseState to) {
        super("case " + caseId + " cannot move from " + from + " to " + to);
    }
}
