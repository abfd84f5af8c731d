package org.dsrflow.fulfilment;

import org.dsrflow.cases.CaseType;

/** One system's work for one case, as handed to a parallel branch of the fan-out. */
public record TaskWork(String caseId, String system, CaseType action, String taskRef) {
}
