package org.dsrflow.connector.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.dsrflow.connector.Connector;
import org.springframework.mock.env.MockEnvironment;

/** Connector files for the http tests: the documented example, and a small one for the scripted stub. */
final class HttpFixtures {
    static final Path EXAMPLE = Path.of("docs/examples/helpdesk.yaml");
    static final String TOKEN = "s3cret-token";

    /** One dataset, found with {@code GET /tickets?email=} and anonymized by a POST; fast retries. BASE is replaced by the stub's address. */
    static final String TICKETS = """
            system: tickets
            type: http
            title: "Tickets (a scripted stub)"
            owner: test@example.com
            base-url: BASE
            auth: { type: bearer, token-env: TICKETS_TOKEN }
            timeout: PT2S
            retry: { attempts: 3, first-wait: PT0.05S, max-wait: PT2S }
            check: { path: /health }
            datasets:
              - name: tickets
                purpose: "Support tickets"
                categories: [support.ticket]
                on-erase: anonymize
                export:
                  path: /tickets?email={email}
                  records: /items
                erase:
                  method: POST
                  path: /customers/{email}/anonymize
                  body: '{"email": {email}, "reason": "privacy request"}'
                  count: /anonymized
            """;

    private HttpFixtures() {
    }

    /** What the factory is given in the application: secrets come from here, never from the file. */
    static MockEnvironment environment() {
        return new MockEnvironment().withProperty("TICKETS_TOKEN", TOKEN).withProperty("API_USER", "ann")
                .withProperty("API_PASSWORD", "pa ss:word").withProperty("API_KEY", "k3y-123");
    }

    static HttpConnectorFactory factory() {
        return new HttpConnectorFactory(environment());
    }

    static JsonNode yaml(String text) throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(text);
    }

    static Connector tickets(String baseUrl) throws Exception {
        return tickets(baseUrl, UnaryOperator.identity());
    }

    /** The tickets file pointed at {@code baseUrl}, changed by {@code edit} first. */
    static Connector tickets(String baseUrl, UnaryOperator<String> edit) throws Exception {
        return factory().create("connectors/tickets.yaml", yaml(edit.apply(TICKETS.replace("BASE", baseUrl))));
    }

    /** The documented example, changed by {@code edit}, with its ${...} resolved the way the registry resolves them. */
    static Connector example(String baseUrl, String token, UnaryOperator<String> edit) throws Exception {
        MockEnvironment env = exampleEnvironment(baseUrl, token);
        String text = env.resolveRequiredPlaceholders(edit.apply(Files.readString(EXAMPLE)));
        return new HttpConnectorFactory(env).create("connectors/helpdesk.yaml", yaml(text));
    }

    static MockEnvironment exampleEnvironment(String baseUrl, String token) {
        MockEnvironment env = new MockEnvironment();
        Map.of("DSRFLOW_HELPDESK_URL", baseUrl, "DSRFLOW_HELPDESK_TOKEN", token).forEach(env::setProperty);
        return env;
    }
}
