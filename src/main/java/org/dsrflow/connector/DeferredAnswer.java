package org.dsrflow.connector;

/**
 * A deferred system's answer to one task. Exactly one of {@code export}, {@code erasure} or
 * {@code verification} is set for a task that succeeded ({@code erasure} comes with its
 * {@code verification}); a failure carries the system's message and whether a retry may help.
 * Exported records are not held here: {@link #replay} streams them from where they were kept.
 */
public record DeferredAnswer(String system, String taskId, Status status, ExportSummary export, ErasureReport erasure,
                             VerifyReport verification, String error, boolean retriable, Replay replay) {

    public enum Status { DONE, NOT_FOUND, RETAINED, FAILED, REJECTED }

    /** Streams an export's records into a sink. */
    @FunctionalInterface
    public interface Replay {
        void into(RecordSink sink);
    }

    public boolean succeeded() {
        return status == Status.DONE || status == Status.NOT_FOUND || status == Status.RETAINED;
    }

    /** Receives answers as they arrive (fulfilment records them on the case's task). */
    @FunctionalInterface
    public interface Listener {
        /** Returns false when the answer is for no task this listener knows (a synchronous call's, say). */
        boolean answered(DeferredAnswer answer);
    }
}
