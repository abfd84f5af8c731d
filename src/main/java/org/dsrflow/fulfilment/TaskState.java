package org.dsrflow.fulfilment;

/** A connected system's part of a case. DONE, NOT_FOUND and RETAINED are final; a final task is never run again. */
public enum TaskState {
    PENDING, RUNNING, DONE, NOT_FOUND, RETAINED, FAILED, MANUAL;

    public boolean isFinal() {
        return this == DONE || this == NOT_FOUND || this == RETAINED;
    }
}
