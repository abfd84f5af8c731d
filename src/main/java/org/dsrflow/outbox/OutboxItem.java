package org.dsrflow.outbox;

/** One queued side effect: a mail to send, an event to publish, a ticket update to publish or post back. */
public record OutboxItem(long id, String caseId, Kind kind, String payload, int attempts) {
    public enum Kind { MAIL, EVENT, TICKET_UPDATE, TICKET_CALLBACK }
}
