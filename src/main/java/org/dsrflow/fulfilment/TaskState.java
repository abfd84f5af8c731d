package org.dsrflow.fulfilment;

/**
 * A connected system's part of a case. DONE, NOT_FOUND and RETAINED are final; a final task is
 * never run again. WAITING: sent to a system that answers in its own time (remote or manual).
 */
public enum TaskState {
    PENDING, RUNNING, WAITING, DONE, NOT_FOUND, RETAINED, FAILED;

    public boolean isFinal() {
        return this == DONE || this == NOT_FOUND || this == RETAINED;
    }
}
