package org.dsrflow.connector;

import java.util.List;

/** The outcome of {@link Connector#check()}: empty problems means ready. */
public record ConnectorCheck(String system, boolean reachable, List<String> problems) {
    public boolean ok() {
        return reachable && problems.isEmpty();
    }
}
