package org.dsrflow.connector.jdbc;

import java.util.Map;

import javax.sql.DataSource;

import org.dsrflow.embedded.EmbeddedPostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.core.io.DefaultResourceLoader;

/** The jdbc connector's contract on PostgreSQL (the embedded server, a real one). */
class JdbcPostgresContractTests extends JdbcContract {
    static EmbeddedPostgresServer postgres;

    @BeforeAll
    static void start() {
        postgres = new EmbeddedPostgresServer("", 0, Map.of(), new DefaultResourceLoader());
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Override
    protected DataSource database() {
        return postgres.dataSource("contract_shop");
    }
}
