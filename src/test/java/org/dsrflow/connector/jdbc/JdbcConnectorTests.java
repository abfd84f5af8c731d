package org.dsrflow.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import org.dsrflow.connector.ConnectorException;
import org.dsrflow.connector.ErasureReport;
import org.dsrflow.connector.RecordSink;
import org.dsrflow.connector.Subject;
import org.dsrflow.embedded.EmbeddedPostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.core.JdbcTemplate;

/** The jdbc connector against a real PostgreSQL: metadata checks, export isolation, erasure and its proof. */
class JdbcConnectorTests {
    static EmbeddedPostgresServer postgres;
    static DataSource shop;
    JdbcTemplate jdbc;

    @BeforeAll
    static void start() {
        postgres = new EmbeddedPostgresServer("", 0, Map.of(), new DefaultResourceLoader());
        shop = postgres.dataSource("shop");
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void schema() {
        jdbc = new JdbcTemplate(shop);
        JdbcContract.createShop(jdbc);
    }

    JdbcConnector connector() throws Exception {
        return new JdbcConnector(JdbcStatementsTests.spec(JdbcStatementsTests.SHOP), shop, KeyedHash.fromSecret("k"));
    }

    @Test
    void aSchemaThatMatchesTheFileChecksClean() throws Exception {
        assertThat(connector().check().problems()).isEmpty();
    }

    @Test
    void theCheckNamesUndeclaredMissingAndIncompatibleColumns() throws Exception {
        jdbc.execute("alter table customers add column birthday date");
        jdbc.execute("alter table receipts drop column buyer");
        jdbc.execute("alter table receipts add column buyer integer");
        jdbc.execute("alter table customers alter column phone set not null");
        assertThat(connector().check().problems()).containsExactlyInAnyOrder(
                "shop: customers.phone: erase: null on a NOT NULL column",
                "shop: customers.birthday: column exists in the database but not in the connector file (declare its category and erase strategy)",
                "shop: receipts.buyer: erase: fixed needs a text column, the database has int4");
        assertThatThrownBy(() -> connector().export(new Subject("ann@example.com"), new Collect()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.retriable()).isFalse());
    }

    @Test
    void exportHoldsTheSubjectsRowsAndNoOneElses() throws Exception {
        Collect sink = new Collect();
        var summary = connector().export(new Subject("ANN@example.com"), sink);
        assertThat(summary.recordsPerTable()).containsExactly(Map.entry("customers", 1L), Map.entry("orders", 2L),
                Map.entry("order_notes", 1L), Map.entry("receipts", 1L));
        assertThat(sink.rows.toString()).contains("Ann Lee").doesNotContain("Ben").doesNotContain("ben@");
    }

    @Test
    void anInjectionStringAsTheSubjectFindsNothingAndChangesNothing() throws Exception {
        Subject hostile = new Subject("x' or '1'='1@example.com");
        assertThat(connector().export(hostile, new Collect()).total()).isZero();
        assertThat(connector().erase(hostile).totalRows()).isZero();
        assertThat(jdbc.queryForObject("select count(*) from customers where status = 'active'", Integer.class)).isEqualTo(2);
    }

    @Test
    void erasureAnonymizesDeletesAndRetainsThenProvesNothingIsFindable() throws Exception {
        JdbcConnector connector = connector();
        Subject ann = new Subject("ann@example.com");
        ErasureReport report = connector.erase(ann);

        assertThat(report.tables()).extracting(t -> t.table() + ":" + t.outcome() + ":" + t.rows())
                .containsExactly("customers:ANONYMIZED:1", "orders:DELETED:2", "order_notes:DELETED:1", "receipts:RETAINED:1");
        Map<String, Object> row = jdbc.queryForMap("select * from customers where id = 1");
        assertThat(row.get("email")).isEqualTo(hmacHex("k", "ann@example.com"));
        assertThat(row).containsEntry("name", "A***").containsEntry("phone", null).containsEntry("status", "erased");
        assertThat(jdbc.queryForObject("select count(*) from orders where customer_id = 1", Integer.class)).isZero();
        assertThat(jdbc.queryForMap("select * from receipts where id = 100")).containsEntry("buyer", "ANONYMIZED")
                .containsEntry("customer_id", 1L).containsEntry("total", new java.math.BigDecimal("19.90"));
        assertThat(jdbc.queryForMap("select * from customers where id = 2")).containsEntry("email", "ben@example.com")
                .containsEntry("name", "Ben Wu");
        assertThat(connector.verifyErased(ann).erased()).isTrue();
        assertThat(connector.erase(ann).totalRows()).as("a second erasure changes nothing").isZero();
    }

    static String hmacHex(String key, String value) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    static class Collect implements RecordSink {
        final List<Map<String, Object>> rows = new ArrayList<>();

        @Override
        public void startTable(String table, String purpose) {
        }

        @Override
        public void record(Map<String, Object> columns) {
            rows.add(columns);
        }

        @Override
        public void endTable(String table, long count) {
        }
    }
}
