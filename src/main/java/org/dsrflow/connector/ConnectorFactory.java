package org.dsrflow.connector;

import com.fasterxml.jackson.databind.JsonNode;

/** Builds a connector of one {@code type} from its parsed file. */
public interface ConnectorFactory {
    String type();

    Connector create(String file, JsonNode definition);
}
