package org.dsrflow.support;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.dsrflow.embedded.EmbeddedPostgresServer;

/**
 * The settings of another dsrflow instance that uses the test application's servers instead of
 * starting its own: its PostgreSQL (case store and demo systems), Kafka broker, mail server and demo
 * helpdesk. The test settings are the base; the other instance's embedded servers and demo services
 * are off.
 */
public final class SharedServers {
    private SharedServers() {
    }

    public static Map<String, String> settings(EmbeddedPostgresServer postgres, String brokers, int smtpPort, int imapPort, int helpdeskPort)
            throws Exception {
        Properties test = new Properties();
        try (InputStream in = SharedServers.class.getResourceAsStream("/dsrflow-test.properties")) {
            test.load(in);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        test.forEach((k, v) -> settings.put((String) k, (String) v));
        settings.put("server.port", "0");
        settings.put("dsrflow.embedded.postgres.enabled", "false");
        settings.put("dsrflow.embedded.mail.enabled", "false");
        settings.put("dsrflow.embedded.kafka.enabled", "false");
        settings.put("dsrflow.demo.notifications.enabled", "false");
        settings.put("dsrflow.demo.helpdesk.enabled", "false");
        settings.put("spring.datasource.url", postgres.jdbcUrl("dsrflow"));
        settings.put("spring.datasource.username", "postgres");
        settings.put("dsrflow.kafka.brokers", brokers);
        settings.put("dsrflow.mail.smtp.host", "localhost");
        settings.put("dsrflow.mail.smtp.port", Integer.toString(smtpPort));
        settings.put("dsrflow.embedded.mail.imap-port", Integer.toString(imapPort));
        for (String system : new String[] {"BILLING", "LOGS", "CRM"}) {
            settings.put("DSRFLOW_" + system + "_JDBC_URL", postgres.jdbcUrl(system.toLowerCase(java.util.Locale.ROOT)));
            settings.put("DSRFLOW_" + system + "_JDBC_USER", "postgres");
        }
        settings.put("DSRFLOW_HELPDESK_URL", "http://localhost:" + helpdeskPort + "/api");
        settings.put("DSRFLOW_HELPDESK_TOKEN", org.dsrflow.demo.HelpdeskApi.DEMO_TOKEN);
        settings.put("dsrflow.demo.helpdesk.port", Integer.toString(helpdeskPort));
        return settings;
    }

    /** The settings as command-line arguments, which outrank every configuration file. */
    public static String[] args(Map<String, String> settings) {
        return settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }
}
