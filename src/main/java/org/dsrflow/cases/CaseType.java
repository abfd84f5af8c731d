package org.dsrflow.cases;

/** What the person asks for. */
public enum CaseType {
    /** A copy of the personal data held about them. */
    ACCESS,
    /** Deletion or anonymization of their personal data. */
    DELETION,
    /** Not yet known: the message was unclear and the person has been asked to choose. */
    UNDECIDED
}
