package org.dsrflow.connector.jdbc;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import org.dsrflow.connector.Connector;

/**
 * A jdbc connector outside the server, over a data source the caller owns — for the benchmark
 * command, which runs the very statements the fan-out runs against a database it points at.
 */
public final class JdbcConnectors {
    private JdbcConnectors() {
    }

    /** The connector a file describes (placeholders already resolved), its connection replaced by {@code dataSource}. */
    public static Connector open(String file, JsonNode definition, DataSource dataSource, String hashSecret) {
        return new JdbcConnector(JdbcSpecReader.read(file, definition), dataSource, KeyedHash.fromSecret(hashSecret));
    }

    /** The {@code work_mem} the connector's exports run with on PostgreSQL: the same for a side-by-side query. */
    public static String exportWorkMem(String file, JsonNode definition) {
        return JdbcSpecReader.read(file, definition).connection().exportWorkMem();
    }
}
