package org.dsrflow.connector.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.dsrflow.connector.Connector;
import org.dsrflow.connector.ConnectorFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Builds http connectors. Credentials are read from the Spring environment (environment variables
 * included) under the names the file gives, once, at start: a name without a value stops the start.
 */
@Component
class HttpConnectorFactory implements ConnectorFactory {
    private final Environment environment;

    HttpConnectorFactory(Environment environment) {
        this.environment = environment;
    }

    @Override
    public String type() {
        return "http";
    }

    @Override
    public Connector create(String file, JsonNode definition) {
        return new HttpConnector(HttpSpecReader.read(file, definition, environment::getProperty));
    }
}
