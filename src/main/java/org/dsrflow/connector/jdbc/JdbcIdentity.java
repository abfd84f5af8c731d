package org.dsrflow.connector.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import org.dsrflow.connector.ConnectorException;
import org.dsrflow.connector.IdentitySource;
import org.dsrflow.connector.jdbc.JdbcConnectorSpec.IdentitySpec;

/** The account lookups of a jdbc connector whose file declares {@code identity:}. Values are always bound, never spliced. */
final class JdbcIdentity implements IdentitySource {
    private final String system;
    private final String schema;
    private final IdentitySpec spec;
    private final DataSource dataSource;

    JdbcIdentity(String system, String schema, IdentitySpec spec, DataSource dataSource) {
        this.system = system;
        this.schema = schema;
        this.spec = spec;
        this.dataSource = dataSource;
    }

    @Override
    public String system() {
        return system;
    }

    @Override
    public Optional<Account> findByEmail(String email) {
        String region = spec.region() == null ? "null" : JdbcStatements.quote(spec.region());
        String query = "select " + JdbcStatements.quote(spec.key()) + ", " + JdbcStatements.quote(spec.email()) + ", " + region
                + " from " + table() + " where lower(" + JdbcStatements.quote(spec.email()) + ") = lower(?) order by 1 limit 1";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(query)) {
            s.setString(1, email);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Account(system, rs.getString(1), rs.getString(2), rs.getString(3)));
            }
        } catch (SQLException e) {
            throw ConnectorException.from(system, "identity lookup", e);
        }
    }

    @Override
    public Set<String> dataPoints() {
        return spec.dataPoints().keySet();
    }

    @Override
    public boolean matches(Account account, String dataPoint, String given) {
        String column = spec.dataPoints().get(dataPoint);
        if (column == null || given == null || given.isBlank()) {
            return false;
        }
        String query = "select " + JdbcStatements.quote(column) + " from " + table() + " where "
                + JdbcStatements.quote(spec.key()) + "::text = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(query)) {
            s.setString(1, account.accountId());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next() || rs.getString(1) == null) {
                    return false;
                }
                byte[] recorded = normalise(dataPoint, rs.getString(1)).getBytes(StandardCharsets.UTF_8);
                byte[] offered = normalise(dataPoint, given).getBytes(StandardCharsets.UTF_8);
                return recorded.length > 0 && MessageDigest.isEqual(recorded, offered);
            }
        } catch (SQLException e) {
            throw ConnectorException.from(system, "identity check", e);
        }
    }

    /** Phone numbers compare by their digits (so "+86 138-0013-8000" is "8613800138000"); anything else trimmed and case-folded. */
    static String normalise(String dataPoint, String value) {
        if (dataPoint.contains("phone")) {
            return value.replaceAll("\\D", "");
        }
        return value.strip().toLowerCase(Locale.ROOT);
    }

    private String table() {
        return JdbcStatements.quote(schema) + "." + JdbcStatements.quote(spec.table());
    }
}
