package org.dsrflow.remote;

import java.util.Map;

/**
 * What dsrflow asks a remote system to do for one person: export their records, erase them, or
 * look again and count what is still there. Published as JSON to the system's tasks topic, keyed
 * by {@code taskId}. The same {@code taskId} may arrive more than once (dsrflow sends again when
 * no answer came in time); doing the work again must be harmless.
 *
 * @param protocol   always {@link RemoteProtocol#TASK_PROTOCOL}; a system refuses any other
 * @param taskId     stable for one system's part of one case
 * @param caseId     the request's reference, for the system's own records
 * @param system     the system name the task is for
 * @param action     {@code export}, {@code erase} or {@code verify-erased}
 * @param subject    identifier type to value, e.g. {@code {"email": "ann@example.com"}}
 * @param deadline   when dsrflow must answer the person (ISO-8601 instant)
 * @param issuedAt   when this copy of the task was sent
 */
public record RemoteTask(String protocol, String taskId, String caseId, String system, String action,
                         Map<String, String> subject, String deadline, String issuedAt) {
}
