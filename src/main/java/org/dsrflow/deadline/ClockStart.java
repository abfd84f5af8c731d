package org.dsrflow.deadline;

/** When a policy's clock starts. */
public enum ClockStart {
    /** When the request was received, whatever the channel. */
    RECEIPT,
    /** When the person proved who they are. */
    VERIFICATION
}
