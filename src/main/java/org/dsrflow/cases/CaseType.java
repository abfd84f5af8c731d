package org.dsrflow.cases;

/** What the person asks for. */
public enum CaseType {
    /** A copy of the personal data held about them. */
    ACCESS,
    /** Deletion or anonymization of their personal data. */
    DELETION
}
