package org.dsrflow.health;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.dsrflow.Printable;
import org.dsrflow.health.Dependencies.Kind;
import org.dsrflow.health.Dependencies.Probe;

/** The probes of the servers dsrflow depends on: each asks the server for the least that shows it works. */
final class Probes {
    /** scheme://host[:port], as in a Camel mail URI; what follows (path, options, secrets) is not read. */
    private static final Pattern SERVER = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://([^:/?#\\[\\]]+|\\[[0-9a-fA-F:.]+\\])(?::(\\d{1,5}))?");

    private Probes() {
    }

    /**
     * A connection of the probe's own to the database the pool uses (so a pool busy with work does
     * not look like an outage), validated by the driver; from the pool itself when its settings
     * cannot be read.
     */
    static Probe database(String name, DataSource dataSource, Duration timeout) {
        int seconds = (int) Math.max(1, timeout.toSeconds());
        return probe(name, Kind.DATABASE, () -> {
            try (Connection c = ownConnection(dataSource, seconds)) {
                if (!c.isValid(seconds)) {
                    throw new SQLException("the connection did not validate");
                }
            }
        });
    }

    private static Connection ownConnection(DataSource dataSource, int seconds) throws SQLException {
        if (dataSource instanceof com.zaxxer.hikari.HikariDataSource pool && pool.getJdbcUrl() != null) {
            Properties props = new Properties();
            if (pool.getUsername() != null) {
                props.put("user", pool.getUsername());
            }
            if (pool.getPassword() != null) {
                props.put("password", pool.getPassword());
            }
            props.put("loginTimeout", Integer.toString(seconds));
            props.put("connectTimeout", Integer.toString(seconds));
            props.put("socketTimeout", Integer.toString(seconds + 1));
            props.put("ApplicationName", "dsrflow-health");
            return java.sql.DriverManager.getConnection(pool.getJdbcUrl(), props);
        }
        return dataSource.getConnection();
    }

    /** Connects (with TLS for smtps/imaps) and reads the greeting: "220" from SMTP, "* OK" from IMAP. */
    static Probe mailServer(String name, String uri, Duration timeout) {
        Matcher m = SERVER.matcher(uri == null ? "" : uri.trim());
        if (!m.find()) {
            throw new IllegalStateException(name + ": cannot tell the server from '" + withoutOptions(uri) + "' (expected scheme://host:port)");
        }
        String scheme = m.group(1).toLowerCase(java.util.Locale.ROOT);
        boolean imap = scheme.startsWith("imap");
        boolean tls = scheme.endsWith("s");
        int port = m.group(3) != null ? Integer.parseInt(m.group(3)) : imap ? (tls ? 993 : 143) : (tls ? 465 : 25);
        String host = m.group(2);
        String expected = imap ? "* OK" : "220";
        String bye = imap ? "a1 LOGOUT\r\n" : "QUIT\r\n";
        int millis = (int) timeout.toMillis();
        return probe(name, Kind.MAIL, () -> {
            try (Socket socket = tls ? SSLSocketFactory.getDefault().createSocket() : new Socket()) {
                socket.connect(new InetSocketAddress(host, port), millis);
                socket.setSoTimeout(millis);
                if (socket instanceof SSLSocket secure) {
                    secure.startHandshake();
                }
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                String greeting = in.readLine();
                if (greeting == null || !greeting.startsWith(expected)) {
                    throw new IOException(host + ":" + port + " did not greet as " + (imap ? "IMAP" : "SMTP")
                            + (greeting == null ? " (closed the connection)" : ""));
                }
                OutputStream out = socket.getOutputStream();
                out.write(bye.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        });
    }

    /** The cluster's description through an admin client kept open between checks. */
    static Probe kafka(String name, String brokers, Duration timeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "dsrflow-health");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return new Kafka(name, props, timeout);
    }

    private static String withoutOptions(String uri) {
        return Printable.clip(uri == null ? "" : uri.replaceAll("\\?.*", ""), 80);
    }

    /** A check that throws when the server does not work. */
    interface Check {
        void run() throws Exception;
    }

    private static Probe probe(String name, Kind kind, Check check) {
        return new Probe() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Kind kind() {
                return kind;
            }

            @Override
            public void check() throws Exception {
                check.run();
            }
        };
    }

    /** The admin client is made on first use and closed with the probes. */
    private static final class Kafka implements Probe, AutoCloseable {
        private final String name;
        private final Properties props;
        private final Duration timeout;
        private Admin admin;

        Kafka(String name, Properties props, Duration timeout) {
            this.name = name;
            this.props = props;
            this.timeout = timeout;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Kind kind() {
            return Kind.BROKER;
        }

        @Override
        public synchronized void check() throws Exception {
            if (admin == null) {
                admin = Admin.create(props);
            }
            if (admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).isEmpty()) {
                throw new IllegalStateException("the cluster has no broker");
            }
        }

        @Override
        public synchronized void close() {
            if (admin != null) {
                admin.close(Duration.ofSeconds(2));
            }
        }
    }
}
