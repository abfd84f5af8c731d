package org.dsrflow.connector.http;

import java.nio.file.Files;
import java.util.function.UnaryOperator;

import org.dsrflow.connector.Connector;
import org.dsrflow.connector.ConnectorContract;
import org.dsrflow.connector.Subject;
import org.dsrflow.demo.HelpdeskApi;
import org.junit.jupiter.api.AfterEach;

/** The connector contract for the http type: the documented example file against the demo helpdesk, a real HTTP server. */
class HttpContractTests extends ConnectorContract {
    private HelpdeskApi api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Override
    protected Connector freshSystem() throws Exception {
        stop();
        api = HelpdeskApi.start(0, "contract-token");
        return HttpFixtures.example(api.baseUrl(), "contract-token", UnaryOperator.identity());
    }

    @Override
    protected Connector unreachableSystem() throws Exception {
        // Port 1 on the loopback address: nothing listens there, so every connection is refused.
        return HttpFixtures.tickets("http://127.0.0.1:1");
    }

    @Override
    protected BadConfig badConfig() throws Exception {
        String text = Files.readString(HttpFixtures.EXAMPLE).replace("records: /items", "records: items")
                .replace("${DSRFLOW_HELPDESK_URL:http://localhost:8099/api}", "http://localhost:8099/api");
        return new BadConfig(new HttpConnectorFactory(HttpFixtures.exampleEnvironment("unused", "t")), "connectors/helpdesk.yaml",
                HttpFixtures.yaml(text), "datasets[0].export.records");
    }

    @Override
    protected Subject subject() {
        return new Subject("Alice.Chen@example.com");
    }

    @Override
    protected Subject bystander() {
        return new Subject("li.wei@example.cn");
    }

    @Override
    protected String subjectMarker() {
        return "Alice Chen";
    }
}
