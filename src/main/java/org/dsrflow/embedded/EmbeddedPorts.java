package org.dsrflow.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Settles the ports of the in-process servers before any bean or route reads them. A port of 0
 * means "any free port" (the tests); the demo uses fixed ports so a mail client can be pointed at
 * them. The resolved host:port values are published as ordinary properties, so routes and
 * components address the embedded servers exactly as they would address production ones.
 */
public class EmbeddedPorts implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        Map<String, Object> resolved = new LinkedHashMap<>();
        if (enabled(env, "postgres") && !env.containsProperty("spring.datasource.url")) {
            resolved.put("dsrflow.embedded.postgres.port", port(env, "dsrflow.embedded.postgres.port"));
        }
        if (enabled(env, "mail")) {
            int smtp = port(env, "dsrflow.embedded.mail.smtp-port");
            int imap = port(env, "dsrflow.embedded.mail.imap-port");
            resolved.put("dsrflow.embedded.mail.smtp-port", smtp);
            resolved.put("dsrflow.embedded.mail.imap-port", imap);
            resolved.put("dsrflow.mail.smtp.host", "localhost");
            resolved.put("dsrflow.mail.smtp.port", smtp);
        }
        if (enabled(env, "kafka")) {
            int kafka = port(env, "dsrflow.embedded.kafka.port");
            resolved.put("dsrflow.embedded.kafka.port", kafka);
            resolved.put("dsrflow.kafka.brokers", "localhost:" + kafka);
        }
        if (env.getProperty("dsrflow.demo.helpdesk.enabled", Boolean.class, false)) {
            resolved.put("dsrflow.demo.helpdesk.port", port(env, "dsrflow.demo.helpdesk.port"));
            if (!env.containsProperty("DSRFLOW_HELPDESK_TOKEN")) {
                // the demo helpdesk's own token, so connectors/helpdesk.yaml starts without any setting
                resolved.put("DSRFLOW_HELPDESK_TOKEN", org.dsrflow.demo.HelpdeskApi.DEMO_TOKEN);
            }
        }
        if (!resolved.isEmpty()) {
            env.getPropertySources().addFirst(new MapPropertySource("dsrflow-embedded-ports", resolved));
        }
    }

    static boolean enabled(ConfigurableEnvironment env, String server) {
        return env.getProperty("dsrflow.embedded." + server + ".enabled", Boolean.class, false);
    }

    private static int port(ConfigurableEnvironment env, String key) {
        int configured = env.getProperty(key, Integer.class, 0);
        return configured != 0 ? configured : freePort();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port for an embedded server", e);
        }
    }
}
