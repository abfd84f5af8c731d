package org.dsrflow.connector.kafka;

import java.time.Duration;
import java.util.List;

import org.dsrflow.connector.Retention;

/** A remote system as its connector file describes it: who runs it, what it holds, how long it may take to answer. */
record KafkaConnectorSpec(String system, String title, String owner, Duration answerWithin, List<Dataset> datasets) {

    /** {@code onErase} is anonymize, delete or retain; retain comes with its retention. */
    record Dataset(String name, String purpose, List<String> categories, String onErase, Retention retention) {
    }
}
