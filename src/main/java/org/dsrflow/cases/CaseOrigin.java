package org.dsrflow.cases;

/**
 * Where a case came from beyond its channel: the support agent who forwarded it, the ticket it
 * belongs to, and the mail thread it continues.
 */
public record CaseOrigin(String agentEmail, String sourceSystem, String sourceTicketId, String threadMessageId,
                         String threadReferences) {
    public static final CaseOrigin NONE = new CaseOrigin(null, null, null, null, null);
}
