package org.dsrflow.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;

import org.dsrflow.connector.Subject;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The jdbc connector's contract on H2, with the same connector file and data as on PostgreSQL.
 * H2 runs with {@code DATABASE_TO_LOWER=TRUE} so unquoted names in its DDL are stored in lower
 * case, as PostgreSQL stores them, and the file's names match the metadata.
 */
class JdbcH2ContractTests extends JdbcContract {
    private static final JdbcDataSource H2 = new JdbcDataSource();

    static {
        H2.setURL("jdbc:h2:mem:contract_shop;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
    }

    @Override
    protected DataSource database() {
        return H2;
    }

    @Test
    void theKeyedHashH2ComputesIsTheSameHmacAsPostgresql() throws Exception {
        freshSystem().erase(subject());
        String stored = new JdbcTemplate(H2).queryForObject("select email from customers where id = 1", String.class);
        assertThat(stored).isEqualTo(JdbcConnectorTests.hmacHex("k", new Subject("ann@example.com").email()));
    }
}
