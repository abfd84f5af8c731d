package org.dsrflow.audit;

import java.time.Instant;

/** One row of the audit chain. */
public record AuditEntry(long seq, String caseId, Instant at, String actor, String action, String detail,
                         String prevHash, String hash) {
}
