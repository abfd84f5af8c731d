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
        String threadMessageId) {
}
