package org.dsrflow.connector;

import java.util.List;

/** What a system holds: its tables (or collections), their purpose and the data categories in them. */
public record ConnectorDescription(String system, String type, String title, String owner, List<Dataset> datasets) {

    public record Dataset(String name, String purpose, List<String> categories, String onErase, Retention retention) {
    }
}
