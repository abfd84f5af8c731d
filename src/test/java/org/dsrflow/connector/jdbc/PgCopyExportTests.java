package org.dsrflow.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.dsrflow.connector.ConnectorException;
import org.dsrflow.connector.RecordSink;
import org.dsrflow.connector.Subject;
import org.dsrflow.embedded.EmbeddedPostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * On PostgreSQL an export reads with COPY where it can: the records must be exactly those the
 * cursor gives, whatever the values hold — COPY's escapes, nulls, every decoded type.
 */
class PgCopyExportTests {
    static final String FILE = """
            system: odd
            type: jdbc
            connection: { url: "embedded:odd" }
            tables:
              - name: people
                purpose: accounts
                match: { email: email }
                key: id
                columns:
                  id:      { category: identifier.account, erase: keep }
                  email:   { category: contact.email, erase: hash }
                  note:    { category: support.text, erase: "null" }
                  small:   { category: account.metadata, erase: keep }
                  big:     { category: account.metadata, erase: keep }
                  amount:  { category: financial.transaction, erase: keep }
                  ratio:   { category: account.metadata, erase: keep }
                  tiny:    { category: account.metadata, erase: keep }
                  flag:    { category: account.metadata, erase: keep }
                  day:     { category: account.metadata, erase: keep }
                  seen_at: { category: activity.login, erase: keep }
                  ref:     { category: identifier.other, erase: keep }
                  code:    { category: account.metadata, erase: keep }
              - name: events
                purpose: activity
                via: { column: person_id, parent: people, parent-column: id }
                key: id
                columns:
                  id:        { category: identifier.log, erase: keep }
                  person_id: { category: identifier.account, erase: keep }
                  payload:   { category: activity.operation, erase: keep }
                  at:        { category: activity.operation, erase: keep }
            """;

    static EmbeddedPostgresServer postgres;
    static DataSource odd;
    JdbcTemplate jdbc;

    @BeforeAll
    static void start() {
        postgres = new EmbeddedPostgresServer("", 0, Map.of(), new DefaultResourceLoader());
        odd = postgres.dataSource("odd");
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void rows() {
        jdbc = new JdbcTemplate(odd);
        jdbc.execute("drop table if exists events");
        jdbc.execute("drop table if exists people");
        jdbc.execute("create table people (id bigint primary key, email varchar(200), note text, small smallint, big bigint, "
                + "amount numeric(14,2), ratio float8, tiny real, flag boolean, day date, seen_at timestamptz, ref uuid, code char(4))");
        jdbc.execute("create table events (id bigint primary key, person_id bigint references people(id), payload jsonb, at timestamptz)");
        String awkward = "tab\there, new\nline, cr\r, back\\slash, \\N, \\t as text, a bell \u0007, \u5f20\u4f1f \ud83d\ude00, 'quotes' \"too\"";
        jdbc.update("insert into people values (1, 'ann@example.com', ?, -32768, -9223372036854775808, -12.30, 0.1, 1.5, true, "
                + "'2026-06-01', '2026-06-01 08:00:00.12+08', '6f1c2d4e-8a9b-4c0d-9e1f-2a3b4c5d6e7f', 'ab')", awkward);
        jdbc.update("insert into people (id, email) values (2, 'ANN@example.com')");
        jdbc.update("insert into people values (3, 'ann@example.com', '', 32767, 9223372036854775807, 123456789012.99, 'NaN', "
                + "'-Infinity', false, '9999-12-31', '2026-06-01 08:00:00.000450+00', null, '')");
        jdbc.update("insert into people values (4, 'ann@example.com', '\\', 0, 0, 0, 1e300, 0, false, '1999-01-01', "
                + "'1999-12-31 23:59:59.999999+00', null, 'wxyz')");
        jdbc.update("insert into people values (5, 'ben@example.com', 'not Ann', 1, 1, 1, 1, 1, true, '2000-01-01', "
                + "'2000-01-01 00:00:00+00', null, 'b')");
        jdbc.update("insert into people (id, email, seen_at) values (6, 'ann@example.com', 'infinity'), (7, 'ann@example.com', '-infinity')");
        jdbc.update("insert into events values (10, 1, '{\"a\": \"tab\\tquote\\\"\"}', 'infinity'), (11, 1, '{}', '-infinity'), "
                + "(12, 1, '{}', '2026-06-01 08:00:00+00'), (50, 5, '{}', null)");
    }

    JdbcConnector connector(boolean copy, DataSource dataSource) throws Exception {
        JdbcConnector connector = new JdbcConnector(JdbcStatementsTests.spec(FILE), dataSource, KeyedHash.fromSecret("k"), copy);
        assertThat(connector.check().problems()).isEmpty();
        return connector;
    }

    @Test
    void copyGivesExactlyWhatTheCursorGives() throws Exception {
        JdbcConnectorTests.Collect byCopy = new JdbcConnectorTests.Collect();
        JdbcConnectorTests.Collect byCursor = new JdbcConnectorTests.Collect();
        JdbcConnector copying = connector(true, odd);
        assertThat(copying.readsWithCopy("people")).isTrue();
        assertThat(copying.readsWithCopy("events")).as("jsonb is not decoded: the cursor reads that table").isFalse();
        assertThat(connector(false, odd).readsWithCopy("people")).isFalse();

        copying.export(new Subject("ann@example.com"), byCopy);
        connector(false, odd).export(new Subject("ann@example.com"), byCursor);

        assertThat(byCopy.rows).hasSize(9);
        for (int i = 0; i < 9; i++) {
            assertThat(byCopy.rows.get(i)).as("row %d", i).isEqualTo(byCursor.rows.get(i));
        }
        Map<String, Object> first = byCopy.rows.get(0);
        assertThat(first.get("note")).isEqualTo(jdbc.queryForObject("select note from people where id = 1", String.class));
        assertThat(first).containsEntry("small", -32768).containsEntry("big", Long.MIN_VALUE)
                .containsEntry("amount", new BigDecimal("-12.30")).containsEntry("ratio", 0.1).containsEntry("tiny", 1.5f)
                .containsEntry("flag", true).containsEntry("day", "2026-06-01").containsEntry("seen_at", "2026-06-01T00:00:00.120Z")
                .containsEntry("ref", java.util.UUID.fromString("6f1c2d4e-8a9b-4c0d-9e1f-2a3b4c5d6e7f")).containsEntry("code", "ab  ");
        assertThat(byCopy.rows.get(1)).containsEntry("id", 2L).containsEntry("note", null).containsEntry("small", null)
                .containsEntry("seen_at", null).containsEntry("flag", null);
        assertThat(byCopy.rows.get(2)).containsEntry("ratio", Double.NaN).containsEntry("tiny", Float.NEGATIVE_INFINITY)
                .containsEntry("note", "").containsEntry("seen_at", "2026-06-01T08:00:00.000450Z");
        assertThat(byCopy.rows.get(3)).containsEntry("note", "\\").containsEntry("seen_at", "1999-12-31T23:59:59.999999Z");
        assertThat(byCopy.rows.get(4)).containsEntry("id", 6L).containsEntry("seen_at", "infinity");
        assertThat(byCopy.rows.get(5)).containsEntry("id", 7L).containsEntry("seen_at", "-infinity");
        // the events table (jsonb) is read by cursor: its instants come out the same way
        assertThat(byCopy.rows.get(6)).containsEntry("id", 10L).containsKey("payload").containsEntry("at", "infinity");
        assertThat(byCopy.rows.get(7)).containsEntry("id", 11L).containsEntry("at", "-infinity");
        assertThat(byCopy.rows.get(8)).containsEntry("id", 12L).containsEntry("at", "2026-06-01T08:00:00Z");
        assertThat(byCopy.rows.toString()).doesNotContain("ben@").doesNotContain("not Ann");
    }

    @Test
    void theSubjectsAddressNeverAppearsInTheStatementText() throws Exception {
        Subject hostile = new Subject("x') to stdout; drop table people; --@example.com");
        String copy = new JdbcStatements(JdbcStatementsTests.spec(FILE), KeyedHash.fromSecret("k"), SqlDialect.POSTGRESQL)
                .copySelect(JdbcStatementsTests.spec(FILE).table("events").orElseThrow(), hostile);
        assertThat(copy).doesNotContain("drop").doesNotContain("x')")
                .isEqualTo("copy (select \"id\", \"person_id\", \"payload\", \"at\" from \"public\".\"events\" where \"person_id\" in "
                        + "(select \"id\" from \"public\".\"people\" where (lower(\"email\") = current_setting('dsrflow.subject_email'))) "
                        + "order by \"id\") to stdout");
        assertThat(connector(true, odd).export(hostile, new JdbcConnectorTests.Collect()).total()).isZero();
        assertThat(jdbc.queryForObject("select count(*) from people", Integer.class)).isEqualTo(7);
    }

    @Test
    void aSinkThatFailsHalfWayLeavesTheConnectionUsable() throws Exception {
        try (var connection = odd.getConnection()) {
            SingleConnectionDataSource one = new SingleConnectionDataSource(connection, true);
            JdbcConnector connector = connector(true, one);
            RecordSink failing = new JdbcConnectorTests.Collect() {
                @Override
                public void record(Map<String, Object> columns) {
                    if (rows.size() == 1) {
                        throw new IllegalStateException("disk full");
                    }
                    super.record(columns);
                }
            };
            assertThatThrownBy(() -> connector.export(new Subject("ann@example.com"), failing)).hasMessageContaining("disk full");
            JdbcConnectorTests.Collect again = new JdbcConnectorTests.Collect();
            connector.export(new Subject("ann@example.com"), again);
            assertThat(again.rows).hasSize(9);
        }
    }

    @Test
    void escapesAreUndoneByteForByte() {
        byte[] in = "a\\tb\\\\c\\nd\\101\\x41\\x4g\\r\\b\\f\\v\\q\\".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[in.length];
        int n = PgCopyRows.unescape(in, 0, in.length, out);
        assertThat(new String(out, 0, n, StandardCharsets.ISO_8859_1)).isEqualTo("a\tb\\c\ndAA\u0004g\r\b\f\u000bq\\");
    }

    @Test
    void instantsOutsideTheUsualFormAreKeptAsTheDatabaseWroteThem() {
        for (String text : List.of("infinity", "-infinity", "0044-03-15 12:00:00+00 BC", "10000-01-01 00:00:00+00")) {
            byte[] b = text.getBytes(StandardCharsets.US_ASCII);
            assertThat(PgCopyRows.instant(b, 0, b.length)).isEqualTo(text);
        }
        byte[] b = "0999-12-31 23:59:59.5+00".getBytes(StandardCharsets.US_ASCII);
        assertThat(PgCopyRows.instant(b, 0, b.length)).isEqualTo(java.time.Instant.parse("0999-12-31T23:59:59.5Z").toString());
    }

    @Test
    void everyFractionIsWrittenAsTheJdkWritesTheInstant() {
        for (String fraction : List.of("", ".5", ".12", ".123", ".1234", ".12345", ".123456", ".000001", ".001", ".100000")) {
            byte[] b = ("2026-06-01 08:00:59" + fraction + "+00").getBytes(StandardCharsets.US_ASCII);
            assertThat(PgCopyRows.instant(b, 0, b.length)).as(fraction)
                    .isEqualTo(java.time.Instant.parse("2026-06-01T08:00:59" + fraction + "Z").toString());
        }
    }

    @Test
    void aBrokenConnectorFailsAsAConnectorError() throws Exception {
        JdbcConnector connector = connector(true, odd);
        jdbc.execute("alter table people rename column note to remark");
        assertThatThrownBy(() -> connector.export(new Subject("ann@example.com"), new JdbcConnectorTests.Collect()))
                .isInstanceOf(ConnectorException.class).hasMessageContaining("odd");
    }
}
