package org.dsrflow.connector;

import java.time.Duration;
import java.util.List;


/**
 * A system that answers in its own time (remote over Kafka, or manual), as its connector file
 * describes it: who looks after it, what it holds, how long it may take to answer.
 */
public record DeclaredSystem(String system, String title, String owner, String language, Duration answerWithin, List<Dataset> datasets) {

    /** {@code onErase} is anonymize, delete or retain; retain comes with its retention. */
    public record Dataset(String name, String purpose, List<String> categories, String onErase, Retention retention) {
    }

    /** What the manifest shows for this system; {@code type} is the connector type that reaches it. */
    public ConnectorDescription describe(String type) {
        return new ConnectorDescription(system, type, title, owner, datasets.stream()
                .map(d -> new ConnectorDescription.Dataset(d.name(), d.purpose(), d.categories(), d.onErase(), d.retention()))
                .toList());
    }
}
