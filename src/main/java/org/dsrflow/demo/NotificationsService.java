package org.dsrflow.demo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.dsrflow.remote.client.DatasetErasure;
import org.dsrflow.remote.client.PersonalDataHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The demo's remote system: a notification service run by "another team", connected to dsrflow
 * only through Kafka with the client library ({@link org.dsrflow.remote.client.TaskWorker}). It is
 * what a backend team writes: three lookups over its own tables. Consent records are kept as proof
 * that consent was given, with the address replaced by a hash so they no longer lead to the person.
 */
public final class NotificationsService implements PersonalDataHandler {
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public NotificationsService(DataSource database) {
        this.jdbc = new JdbcTemplate(database);
        this.tx = new TransactionTemplate(new org.springframework.jdbc.datasource.DataSourceTransactionManager(database));
    }

    @Override
    public void export(Map<String, String> subject, ExportWriter out) {
        String email = email(subject);
        jdbc.query("select subscription_id, email, device_name, push_token, created_at from subscriptions where lower(email) = ? "
                + "order by subscription_id", rs -> {
            out.record("subscriptions", row(rs));
        }, email);
        jdbc.query("select d.delivery_id, d.subscription_id, d.title, d.delivered_at from deliveries d join subscriptions s "
                + "on s.subscription_id = d.subscription_id where lower(s.email) = ? order by d.delivery_id", rs -> {
            out.record("deliveries", row(rs));
        }, email);
        jdbc.query("select consent_id, email, purpose, given_at from consents where lower(email) = ? order by consent_id", rs -> {
            out.record("consents", row(rs));
        }, email);
    }

    @Override
    public List<DatasetErasure> erase(Map<String, String> subject) {
        String email = email(subject);
        return tx.execute(s -> {
            int deliveries = jdbc.update("delete from deliveries where subscription_id in "
                    + "(select subscription_id from subscriptions where lower(email) = ?)", email);
            int subscriptions = jdbc.update("delete from subscriptions where lower(email) = ?", email);
            int consents = jdbc.update("update consents set email = encode(sha256(convert_to(lower(email), 'UTF8')), 'hex') "
                    + "where lower(email) = ?", email);
            return List.of(DatasetErasure.deleted("subscriptions", subscriptions), DatasetErasure.deleted("deliveries", deliveries),
                    DatasetErasure.retained("consents", consents, "Proof that consent to notifications was given",
                            "PIPL Art. 13-14; GDPR Art. 7(1)", "P3Y"));
        });
    }

    @Override
    public Map<String, Long> remaining(Map<String, String> subject) {
        String email = email(subject);
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("subscriptions", count("select count(*) from subscriptions where lower(email) = ?", email));
        counts.put("deliveries", count("select count(*) from deliveries d join subscriptions s on s.subscription_id = d.subscription_id "
                + "where lower(s.email) = ?", email));
        counts.put("consents", count("select count(*) from consents where lower(email) = ?", email));
        return counts;
    }

    private long count(String sql, String email) {
        Long n = jdbc.queryForObject(sql, Long.class, email);
        return n == null ? 0 : n;
    }

    private static String email(Map<String, String> subject) {
        return subject.get("email").trim().toLowerCase(java.util.Locale.ROOT);
    }

    private static Map<String, Object> row(java.sql.ResultSet rs) throws java.sql.SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        var md = rs.getMetaData();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            Object value = rs.getObject(i);
            row.put(md.getColumnLabel(i), value instanceof java.time.temporal.TemporalAccessor || value instanceof java.util.Date
                    ? value.toString() : value);
        }
        return row;
    }
}
