package org.dsrflow.connector.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.dsrflow.connector.Connector;
import org.dsrflow.connector.ConnectorCheck;
import org.dsrflow.connector.ConnectorDescription;
import org.dsrflow.connector.ConnectorException;
import org.dsrflow.connector.ErasureReport;
import org.dsrflow.connector.ErasureReport.Outcome;
import org.dsrflow.connector.ErasureReport.TableErasure;
import org.dsrflow.connector.ExportSummary;
import org.dsrflow.connector.RecordSink;
import org.dsrflow.connector.Subject;
import org.dsrflow.connector.VerifyReport;
import org.dsrflow.connector.jdbc.JdbcConnectorSpec.ColumnSpec;
import org.dsrflow.connector.jdbc.JdbcConnectorSpec.EraseStrategy;
import org.dsrflow.connector.jdbc.JdbcConnectorSpec.OnErase;
import org.dsrflow.connector.jdbc.JdbcConnectorSpec.TableSpec;

/**
 * A relational database described by a connector file. Before any statement runs, every table
 * and column the file names is compared with the database's own metadata — and every column the
 * database has must be declared — so generated SQL only ever touches what the file describes.
 */
public class JdbcConnector implements Connector {
    private static final Set<String> TEXT_TYPES = Set.of("varchar", "text", "bpchar", "char", "character varying", "citext",
            "character", "character large object", "clob", "varchar_ignorecase");
    /**
     * Rows per round trip while exporting through a cursor, so that a million-row export streams in
     * little memory. Kept modest: the tables still read by cursor (rather than COPY) are those with
     * types such as jsonb or bytea, whose rows may be large.
     */
    private static final int FETCH_SIZE = 2000;

    private final JdbcConnectorSpec spec;
    private final DataSource dataSource;
    private final KeyedHash hashKey;
    /** Built by the first clean check, once the database has said which dialect it speaks. */
    private volatile JdbcStatements sql;
    /** On PostgreSQL, per table whose column types it decodes: the reader that exports it with COPY. */
    private volatile Map<String, PgCopyRows> copyReaders = Map.of();
    /** Off to export through the cursor everywhere: the tests compare both ways on the same rows. */
    private final boolean copyAllowed;

    JdbcConnector(JdbcConnectorSpec spec, DataSource dataSource, KeyedHash hashKey) {
        this(spec, dataSource, hashKey, true);
    }

    JdbcConnector(JdbcConnectorSpec spec, DataSource dataSource, KeyedHash hashKey, boolean copyAllowed) {
        this.spec = spec;
        this.dataSource = dataSource;
        this.hashKey = hashKey;
        this.copyAllowed = copyAllowed;
    }

    @Override
    public String system() {
        return spec.system();
    }

    @Override
    public java.util.Optional<org.dsrflow.connector.IdentitySource> identity() {
        return spec.identity() == null ? java.util.Optional.empty()
                : java.util.Optional.of(new JdbcIdentity(spec.system(), spec.connection().schema(), spec.identity(), dataSource));
    }

    @Override
    public ConnectorDescription describe() {
        return new ConnectorDescription(spec.system(), "jdbc", spec.title(), spec.owner(), spec.tables().stream()
                .map(t -> new ConnectorDescription.Dataset(t.name(), t.purpose(),
                        t.columns().stream().map(ColumnSpec::category).distinct().toList(),
                        t.onErase().name().toLowerCase(), t.retention()))
                .toList());
    }

    @Override
    public ConnectorCheck check() {
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            java.util.Optional<SqlDialect> dialect = SqlDialect.of(md.getDatabaseProductName());
            if (dialect.isEmpty()) {
                sql = null;
                return new ConnectorCheck(system(), true, List.of(system() + ": database '" + md.getDatabaseProductName()
                        + "' is not supported by the jdbc connector (supported: PostgreSQL, H2)"));
            }
            Map<String, Map<String, DbColumn>> columns = new HashMap<>();
            List<String> problems = schemaProblems(md, columns);
            copyReaders = problems.isEmpty() && dialect.get() == SqlDialect.POSTGRESQL && copyAllowed ? copyReaders(columns) : Map.of();
            sql = problems.isEmpty() ? new JdbcStatements(spec, hashKey, dialect.get()) : null;
            return new ConnectorCheck(system(), true, problems);
        } catch (SQLException e) {
            sql = null;
            return new ConnectorCheck(system(), false, List.of(system() + ": database unreachable: " + e.getMessage()));
        }
    }

    @Override
    public ExportSummary export(Subject subject, RecordSink sink) {
        JdbcStatements sql = requireCheckedSchema();
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // PostgreSQL streams with a cursor only inside a transaction
            c.setReadOnly(true);
            try {
                exportTables(c, sql, subject, sink, counts);
                c.commit();
            } catch (Throwable e) {
                try {
                    c.rollback(); // the connection goes back clean, whatever broke half-way
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw ConnectorException.from(system(), "export", e);
        }
        return new ExportSummary(system(), counts);
    }

    private void exportTables(Connection c, JdbcStatements sql, Subject subject, RecordSink sink, Map<String, Long> counts)
            throws SQLException {
        Map<String, PgCopyRows> readers = copyReaders;
        if (sql.dialect() == SqlDialect.POSTGRESQL) {
            // one round trip before the first table: the export's memory, and for COPY the time zone
            // its instants are written in and the subject's identifiers its statements read
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("work_mem", spec.connection().exportWorkMem());
            if (!readers.isEmpty()) {
                settings.put("TimeZone", "UTC");
                subject.identifiers().forEach((type, value) -> settings.put(JdbcStatements.subjectSetting(type), value));
            }
            PgCopyRows.set(c, settings);
        }
        for (TableSpec table : spec.tables()) {
            sink.startTable(table.name(), table.purpose());
            PgCopyRows reader = readers.get(table.name());
            long n;
            if (reader != null) {
                n = reader.stream(c, sql.copySelect(table, subject), sink);
            } else {
                n = streamRows(c, sql.select(table, subject), sink);
            }
            sink.endTable(table.name(), n);
            counts.put(table.name(), n);
        }
    }

    /** Whether exports read {@code table} with COPY (PostgreSQL, every column of a type the COPY reader decodes). */
    boolean readsWithCopy(String table) {
        requireCheckedSchema();
        return copyReaders.containsKey(table);
    }

    @Override
    public ErasureReport erase(Subject subject) {
        JdbcStatements sql = requireCheckedSchema();
        List<TableErasure> results = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (TableSpec table : sql.eraseOrder()) {
                    long rows = executeErase(c, sql.erase(table, subject));
                    results.add(new TableErasure(table.name(), outcome(table.onErase()), rows, table.retention()));
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw ConnectorException.from(system(), "erase", e);
        }
        java.util.Collections.reverse(results); // report in the file's order
        return new ErasureReport(system(), results);
    }

    @Override
    public VerifyReport verifyErased(Subject subject) {
        JdbcStatements sql = requireCheckedSchema();
        Map<String, Long> remaining = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            String anyValue = sql.dialect().planForAnyValue();
            c.setAutoCommit(false);
            try {
                if (anyValue != null) {
                    try (java.sql.Statement st = c.createStatement()) {
                        st.execute(anyValue);
                    }
                }
                for (TableSpec table : spec.tables()) {
                    remaining.put(table.name(), queryCount(c, sql.count(table, subject)));
                }
            } finally {
                c.rollback(); // read only; ends the transaction and its setting
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw ConnectorException.from(system(), "verify", e);
        }
        return new VerifyReport(system(), remaining);
    }

    private static long executeErase(Connection c, JdbcStatements.Sql statement) throws SQLException {
        if (statement.text().startsWith("select")) {
            return queryCount(c, statement);
        }
        try (PreparedStatement ps = prepare(c, statement)) {
            return ps.executeUpdate();
        }
    }

    private long streamRows(Connection c, JdbcStatements.Sql select, RecordSink sink) throws SQLException {
        long n = 0;
        try (PreparedStatement ps = prepare(c, select)) {
            ps.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                String[] labels = new String[md.getColumnCount()];
                ColumnValue[] values = new ColumnValue[labels.length];
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = md.getColumnLabel(i + 1);
                    values[i] = ColumnValue.of(md.getColumnTypeName(i + 1));
                }
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>(labels.length * 2);
                    for (int i = 0; i < labels.length; i++) {
                        row.put(labels[i], values[i].read(rs, i + 1));
                    }
                    sink.record(row);
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * How one column's values are read for an export, chosen once per query from the column's type:
     * a million-row export spends much of its time here. Text and instants are read in their
     * cheapest form; everything else through {@link #plain}.
     */
    @FunctionalInterface
    private interface ColumnValue {
        Object read(ResultSet rs, int column) throws SQLException;

        static ColumnValue of(String typeName) {
            String type = typeName == null ? "" : typeName.toLowerCase(java.util.Locale.ROOT);
            if (TEXT_TYPES.contains(type)) {
                return ResultSet::getString;
            }
            if (type.equals("timestamptz")) {
                // straight to an offset date-time: no Calendar and no java.sql.Timestamp on the way
                return (rs, column) -> {
                    java.time.OffsetDateTime at = rs.getObject(column, java.time.OffsetDateTime.class);
                    return at == null ? null : IsoInstant.format(at);
                };
            }
            return (rs, column) -> plain(rs.getObject(column));
        }
    }

    /** Values as JSON can carry them: instants and dates as ISO-8601 text, large objects read out. */
    private static Object plain(Object value) throws SQLException {
        if (value instanceof Timestamp t) {
            return IsoInstant.format(t.toInstant());
        }
        if (value instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        }
        if (value instanceof java.time.temporal.TemporalAccessor) {
            return value.toString();
        }
        if (value instanceof java.sql.Clob clob) {
            return clob.getSubString(1, (int) Math.min(Integer.MAX_VALUE, clob.length()));
        }
        return value;
    }

    private static long queryCount(Connection c, JdbcStatements.Sql count) throws SQLException {
        try (PreparedStatement ps = prepare(c, count); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static PreparedStatement prepare(Connection c, JdbcStatements.Sql statement) throws SQLException {
        PreparedStatement ps = c.prepareStatement(statement.text());
        List<Object> params = statement.parameters();
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
        return ps;
    }

    private JdbcStatements requireCheckedSchema() {
        JdbcStatements checked = sql;
        if (checked != null) {
            return checked;
        }
        ConnectorCheck check = check();
        if (!check.reachable()) {
            throw new ConnectorException(system(), String.join("; ", check.problems()), true);
        }
        if (!check.ok()) {
            throw new ConnectorException(system(), "schema differs from the connector file: " + String.join("; ", check.problems()), false);
        }
        return sql;
    }

    private static Outcome outcome(OnErase onErase) {
        return switch (onErase) {
            case ANONYMIZE -> Outcome.ANONYMIZED;
            case DELETE -> Outcome.DELETED;
            case RETAIN -> Outcome.RETAINED;
        };
    }

    /** Column facts as the database states them. */
    private record DbColumn(String type, int size, boolean nullable) {
    }

    /** Each table's columns, in the file's order, read by COPY where the reader decodes all their types. */
    private Map<String, PgCopyRows> copyReaders(Map<String, Map<String, DbColumn>> columns) {
        Map<String, PgCopyRows> readers = new HashMap<>();
        for (TableSpec table : spec.tables()) {
            Map<String, DbColumn> db = columns.getOrDefault(table.name(), Map.of());
            List<String> names = table.columns().stream().map(ColumnSpec::name).toList();
            List<String> types = names.stream().map(n -> db.containsKey(n) ? db.get(n).type() : null).toList();
            PgCopyRows.forColumns(names, types).ifPresent(reader -> readers.put(table.name(), reader));
        }
        return Map.copyOf(readers);
    }

    List<String> schemaProblems(DatabaseMetaData md, Map<String, Map<String, DbColumn>> tables) throws SQLException {
        List<String> problems = new ArrayList<>();
        String schema = spec.connection().schema();
        for (TableSpec table : spec.tables()) {
            Map<String, DbColumn> columns = new LinkedHashMap<>();
            try (ResultSet rs = md.getColumns(null, schema, table.name(), null)) {
                while (rs.next()) {
                    columns.put(rs.getString("COLUMN_NAME"), new DbColumn(rs.getString("TYPE_NAME").toLowerCase(),
                            rs.getInt("COLUMN_SIZE"), rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls));
                }
            }
            tables.put(table.name(), columns);
            String at = system() + ": " + table.name();
            if (columns.isEmpty()) {
                problems.add(at + ": no such table in schema '" + schema + "'");
                continue;
            }
            for (ColumnSpec column : table.columns()) {
                DbColumn db = columns.get(column.name());
                if (db == null) {
                    problems.add(at + "." + column.name() + ": no such column in the database");
                } else {
                    columnProblem(column, db).ifPresent(p -> problems.add(at + "." + column.name() + ": " + p));
                }
            }
            for (String name : columns.keySet()) {
                if (table.column(name).isEmpty()) {
                    problems.add(at + "." + name + ": column exists in the database but not in the connector file "
                            + "(declare its category and erase strategy)");
                }
            }
            requireColumn(problems, at, columns, table.key(), "key");
            table.match().values().forEach(col -> requireColumn(problems, at, columns, col, "match"));
            if (table.via() != null) {
                requireColumn(problems, at, columns, table.via().column(), "via.column");
                Map<String, DbColumn> parent = tables.getOrDefault(table.via().parent(), Map.of());
                requireColumn(problems, system() + ": " + table.via().parent(), parent, table.via().parentColumn(), "via.parent-column");
            }
        }
        return problems;
    }

    private static java.util.Optional<String> columnProblem(ColumnSpec column, DbColumn db) {
        EraseStrategy erase = column.erase();
        boolean text = TEXT_TYPES.contains(db.type());
        if ((erase == EraseStrategy.HASH || erase == EraseStrategy.MASK || erase == EraseStrategy.FIXED) && !text) {
            return java.util.Optional.of("erase: " + erase.name().toLowerCase() + " needs a text column, the database has " + db.type());
        }
        if (erase == EraseStrategy.HASH && text && db.size() > 0 && db.size() < 64) {
            return java.util.Optional.of("erase: hash writes 64 characters, the column holds " + db.size());
        }
        if (erase == EraseStrategy.NULL && !db.nullable()) {
            return java.util.Optional.of("erase: null on a NOT NULL column");
        }
        return java.util.Optional.empty();
    }

    private static void requireColumn(List<String> problems, String at, Map<String, DbColumn> columns, String column, String role) {
        if (column != null && !columns.isEmpty() && !columns.containsKey(column)) {
            problems.add(at + "." + column + ": named as " + role + " but no such column in the database");
        }
    }
}
