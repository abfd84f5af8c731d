package org.dsrflow.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.datasource.init.ScriptUtils;
import org.springframework.util.FileSystemUtils;

/**
 * A real PostgreSQL 16 server run from the binaries inside a Maven artifact, for the demo and the
 * tests. Its data folder survives restarts (stopping the demo loses no case); an empty data-dir
 * setting means a throw-away folder. Databases are created on first use, and a database with a
 * seed script gets it run once, when it is created.
 */
public class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final Pattern SETTING_NAME = Pattern.compile("[a-z][a-z0-9_.]{0,62}");
    /** The library passes settings to pg_ctl, which runs them through a shell: no spaces, quotes or shell characters. */
    private static final Pattern SETTING_VALUE = Pattern.compile("[A-Za-z0-9_.,:/+-]{0,200}");

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final boolean temporary;
    private final Map<String, String> seeds;
    private final ResourceLoader resources;
    private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();
    private final int poolSize;

    /** Connections per database when {@code dsrflow.embedded.postgres.pool-size} is not set. */
    public static final int DEFAULT_POOL_SIZE = 8;

    public EmbeddedPostgresServer(String dataDirSetting, int port, Map<String, String> seeds, ResourceLoader resources) {
        this(dataDirSetting, port, seeds, resources, DEFAULT_POOL_SIZE, Map.of());
    }

    /**
     * @param poolSize connections per database at most (the case store's and each demo system's)
     * @param serverConfig postgresql.conf settings by name, over those the embedded server starts with
     *                     (values without spaces, quotes or shell characters)
     */
    public EmbeddedPostgresServer(String dataDirSetting, int port, Map<String, String> seeds, ResourceLoader resources, int poolSize,
                                  Map<String, String> serverConfig) {
        serverConfig.forEach((name, value) -> {
            if (!SETTING_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a PostgreSQL setting name: " + name);
            }
            if (value == null || !SETTING_VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("PostgreSQL setting " + name + ": only letters, digits and _ . , : / + - are allowed in its value");
            }
        });
        this.poolSize = poolSize;
        this.seeds = seeds;
        this.resources = resources;
        try {
            this.temporary = dataDirSetting == null || dataDirSetting.isBlank();
            this.dataDir = temporary ? Files.createTempDirectory("dsrflow-pg") : Path.of(dataDirSetting, "postgres").toAbsolutePath();
            Files.createDirectories(dataDir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port);
            serverConfig.forEach(builder::setServerConfig);
            this.postgres = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start (port " + port + ")", e);
        }
        log.info("Embedded PostgreSQL 16 on localhost:{} (user postgres), data in {}{}", postgres.getPort(), dataDir,
                serverConfig.isEmpty() ? "" : ", settings " + new java.util.TreeMap<>(serverConfig));
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    /** A pooled connection to the named database, created (and seeded) if it does not exist yet. */
    public synchronized DataSource dataSource(String database) {
        HikariDataSource existing = pools.get(database);
        if (existing != null) {
            return existing;
        }
        boolean created = ensureDatabase(database);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl(database));
        config.setUsername("postgres");
        config.setPoolName("embedded-" + database);
        // Keep row values (the server's DETAIL lines) out of exception messages, and so out of logs.
        config.addDataSourceProperty("logServerErrorDetail", "false");
        config.setMaximumPoolSize(poolSize);
        // while the server is down, fail a request for a connection after 5 s rather than 30
        config.setConnectionTimeout(5000);
        HikariDataSource pool = new HikariDataSource(config);
        if (created && seeds.containsKey(database)) {
            seed(pool, database, seeds.get(database));
        }
        pools.put(database, pool);
        return pool;
    }

    private boolean ensureDatabase(String database) {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("not a database name: " + database);
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             var exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, database);
            if (exists.executeQuery().next()) {
                return false;
            }
            try (var create = c.createStatement()) {
                create.execute("create database \"" + database + "\"");
            }
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("could not create embedded database " + database, e);
        }
    }

    private void seed(DataSource pool, String database, String location) {
        Resource script = resources.getResource(location);
        try (Connection c = pool.getConnection()) {
            ScriptUtils.executeSqlScript(c, new org.springframework.core.io.support.EncodedResource(script, StandardCharsets.UTF_8));
            log.info("Seeded embedded database {} from {}", database, location);
        } catch (SQLException e) {
            throw new IllegalStateException("seed script " + location + " failed for database " + database, e);
        }
    }

    @Override
    public void close() throws IOException {
        pools.values().forEach(HikariDataSource::close);
        postgres.close();
        if (temporary) {
            FileSystemUtils.deleteRecursively(dataDir);
        }
    }
}
