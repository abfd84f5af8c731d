package org.dsrflow.intake;

import org.dsrflow.cases.DsrCase;

/** What taking in a request did: opened a case, joined the person's open one, or recognised a repeat delivery. */
public record IntakeResult(DsrCase current, Outcome outcome) {

    public enum Outcome {
        /** A new case was opened. */
        NEW,
        /** The person already had an open case for the same thing; the request was added to it and they were told. */
        JOINED,
        /** The very same ticket or mail was delivered again; nothing new happened. */
        REPEATED
    }

    public boolean isNew() {
        return outcome == Outcome.NEW;
    }

    public boolean needsClarification() {
        return outcome == Outcome.NEW && current.type() == org.dsrflow.cases.CaseType.UNDECIDED;
    }
}
