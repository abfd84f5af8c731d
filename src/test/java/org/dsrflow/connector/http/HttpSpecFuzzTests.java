package org.dsrflow.connector.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.dsrflow.connector.ConnectorFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connector files of {@code type: http}, read at start by {@code ConnectorRegistry.load} and {@link HttpSpecReader}. */
class HttpSpecFuzzTests {
    private static final JsonNode HELPDESK = ConnectorFiles.shipped("connectors/helpdesk.yaml");

    @TempDir(factory = ConnectorFiles.InMemory.class)
    Path folder;

    @Test
    void anyHttpConnectorFileIsASpecOrTheListOfItsProblems() {
        ConnectorFiles.fuzz(folder, "helpdesk.yaml", HELPDESK, "http",
                (file, root) -> HttpSpecReader.read(file, root, ConnectorFiles.ENVIRONMENT::getProperty), HttpConnectorSpec::system, spec -> {
                    assertThat(spec.baseUrl().getScheme()).isIn("http", "https");
                    assertThat(spec.baseUrl().getHost()).isNotNull();
                    assertThat(spec.credentials()).isNotNull();
                    assertThat(spec.datasets()).isNotEmpty().allSatisfy(d -> {
                        assertThat(d.name()).matches("[a-z][a-z0-9_-]{0,62}");
                        assertThat(d.export().path().placeholders()).contains(HttpSpecReader.EMAIL);
                        assertThat(d.onErase()).isNotNull();
                        assertThat(d.retention() != null).isEqualTo(d.onErase() == HttpConnectorSpec.OnErase.RETAIN);
                    });
                });
    }
}
