package org.dsrflow.cases;

import java.time.Instant;

/** One data-subject request as stored. The id is a ULID and doubles as the reference people see. */
public record DsrCase(
        String id,
        CaseType type,
        Channel channel,
        CaseState state,
        String subjectEmail,
        String requesterEmail,
        String language,
        Instant receivedAt,
        Instant verifiedAt,
        Instant dueAt,
        Instant closedAt,
        String threadMessageId,
        String threadReferences,
        String agentEmail,
        String sourceSystem,
        String sourceTicketId,
        String policy,
        String accountId,
        String region) {

    /** The same case with another due date. */
    public DsrCase withDueAt(Instant due) {
        return new DsrCase(id, type, channel, state, subjectEmail, requesterEmail, language, receivedAt, verifiedAt, due, closedAt,
                threadMessageId, threadReferences, agentEmail, sourceSystem, sourceTicketId, policy, accountId, region);
    }

    public boolean isOpen() {
        return !state.isClosed();
    }

    /** The Message-IDs a reply in this case's thread refers to, oldest first. */
    public java.util.List<String> references() {
        java.util.List<String> refs = new java.util.ArrayList<>();
        if (threadReferences != null && !threadReferences.isBlank()) {
            refs.addAll(java.util.List.of(threadReferences.trim().split("\\s+")));
        }
        if (threadMessageId != null && !refs.contains(threadMessageId)) {
            refs.add(threadMessageId);
        }
        return refs;
    }
}
