package org.dsrflow.connector;

import java.util.List;

/** A connector file that does not say what it must; each problem names the file and the path inside it. */
public class ConnectorConfigException extends RuntimeException {
    private final List<String> problems;

    public ConnectorConfigException(List<String> problems) {
        super("invalid connector configuration:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
