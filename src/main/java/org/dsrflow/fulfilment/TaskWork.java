package org.dsrflow.fulfilment;

import java.time.Instant;

import org.dsrflow.cases.CaseType;

/**
 * One system's work for one case, as handed to a parallel branch of the fan-out, with what the
 * task needs to know of the case (whose data, and by when), read once when the tasks were planned.
 */
public record TaskWork(String caseId, String system, CaseType action, String taskRef, String subjectEmail, Instant dueAt) {
    /** Work whose case is read again when it runs (an answer recorded later). */
    public TaskWork(String caseId, String system, CaseType action, String taskRef) {
        this(caseId, system, action, taskRef, null, null);
    }
}
