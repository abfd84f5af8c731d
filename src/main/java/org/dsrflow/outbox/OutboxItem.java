package org.dsrflow.outbox;

/** One queued side effect: a mail to send or an event to publish. */
public record OutboxItem(long id, String caseId, Kind kind, String payload, int attempts) {
    public enum Kind { MAIL, EVENT }
}
