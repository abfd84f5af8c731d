package org.dsrflow.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.dsrflow.connector.ConnectorFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connector files of {@code type: jdbc}, read at start by {@code ConnectorRegistry.load} and {@link JdbcSpecReader}. */
class JdbcSpecFuzzTests {
    private static final JsonNode BILLING = firstTable(ConnectorFiles.shipped("connectors/billing.yaml"));

    @TempDir(factory = ConnectorFiles.InMemory.class)
    Path folder;

    @Test
    void anyJdbcConnectorFileIsASpecOrTheListOfItsProblems() {
        ConnectorFiles.fuzz(folder, "billing.yaml", BILLING, "jdbc", JdbcSpecReader::read, JdbcConnectorSpec::system, spec -> {
            assertThat(spec.connection().url()).isNotBlank();
            assertThat(spec.connection().schema()).matches(JdbcSpecReader.IDENTIFIER);
            assertThat(spec.tables()).isNotEmpty().allSatisfy(t -> {
                assertThat(t.name()).matches(JdbcSpecReader.IDENTIFIER);
                assertThat(t.onErase()).isNotNull();
                assertThat(t.columns()).isNotEmpty().allSatisfy(c -> assertThat(c.name()).matches(JdbcSpecReader.IDENTIFIER));
            });
        });
    }

    /** The file with its first table only (the account table the identity block names): as valid, and quicker to read 10,000 times. */
    private static JsonNode firstTable(JsonNode file) {
        ArrayNode tables = (ArrayNode) file.get("tables");
        while (tables.size() > 1) {
            tables.remove(tables.size() - 1);
        }
        return file;
    }
}
