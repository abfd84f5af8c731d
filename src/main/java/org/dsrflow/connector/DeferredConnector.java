package org.dsrflow.connector;

import java.time.Duration;
import java.time.Instant;

/**
 * A system that answers in its own time: a remote service reading tasks from Kafka, or a person
 * looking after a system nobody can automate. Fulfilment hands it the task and carries on; the
 * answer arrives later as a {@link DeferredAnswer} under the same task id. The synchronous
 * methods of {@link Connector} still work (they send the task and wait), which is how the
 * contract suite drives every type the same way.
 */
public interface DeferredConnector extends Connector {

    /** Sends the task; sending the same task id again must be harmless. */
    void submit(Order order);

    /** How long an answer may take before the task is sent again (for a person: a reminder). */
    Duration answerWithin();

    /** One task as handed to the system. {@code action} is export, erase or verify-erased. */
    record Order(String taskId, String caseId, String action, Subject subject, Instant deadline) {
    }
}
