package org.dsrflow.connector.jdbc;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.dsrflow.connector.Connector;
import org.dsrflow.connector.ConnectorFactory;
import org.dsrflow.embedded.EmbeddedPostgresServer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Builds jdbc connectors. A url of the form {@code embedded:<database>} names a database in the
 * embedded PostgreSQL (the demo systems); anything else is a JDBC url with its own small pool.
 */
@Component
class JdbcConnectorFactory implements ConnectorFactory, DisposableBean {
    private static final Pattern EMBEDDED = Pattern.compile("embedded:([a-z][a-z0-9_]*)");

    private final ObjectProvider<EmbeddedPostgresServer> embedded;
    private final KeyedHash hashKey;
    private final java.util.List<HikariDataSource> pools = new java.util.concurrent.CopyOnWriteArrayList<>();

    JdbcConnectorFactory(ObjectProvider<EmbeddedPostgresServer> embedded, @Value("${dsrflow.connectors.hash-secret}") String hashSecret) {
        this.embedded = embedded;
        this.hashKey = KeyedHash.fromSecret(hashSecret);
    }

    @Override
    public String type() {
        return "jdbc";
    }

    @Override
    public Connector create(String file, JsonNode definition) {
        JdbcConnectorSpec spec = JdbcSpecReader.read(file, definition);
        return new JdbcConnector(spec, dataSource(file, spec), hashKey);
    }

    private DataSource dataSource(String file, JdbcConnectorSpec spec) {
        Matcher m = EMBEDDED.matcher(spec.connection().url());
        if (m.matches()) {
            EmbeddedPostgresServer server = embedded.getIfAvailable();
            if (server == null) {
                throw new IllegalArgumentException("connection.url: '" + spec.connection().url()
                        + "' needs the embedded PostgreSQL, which is switched off; set a jdbc: url");
            }
            return server.dataSource(m.group(1));
        }
        if (!spec.connection().url().startsWith("jdbc:")) {
            throw new IllegalArgumentException("connection.url: expected jdbc:... or embedded:<database>");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(spec.connection().url());
        config.setUsername(spec.connection().username());
        config.setPassword(spec.connection().password());
        config.setPoolName("connector-" + spec.system());
        if (spec.connection().url().startsWith("jdbc:postgresql:")) {
            // Keep row values (the server's DETAIL lines) out of exception messages, and so out of logs and task errors.
            config.addDataSourceProperty("logServerErrorDetail", "false");
        }
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(5_000);
        // Do not fail at start when the system is down: the first task retries until it is back.
        config.setInitializationFailTimeout(-1);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    @Override
    public void destroy() {
        pools.forEach(HikariDataSource::close);
    }
}
