package org.dsrflow.connector.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.dsrflow.connector.Subject;
import org.dsrflow.connector.jdbc.JdbcConnectorSpec.ColumnSpec;
import org.dsrflow.connector.jdbc.JdbcConnectorSpec.EraseStrategy;
import org.dsrflow.connector.jdbc.JdbcConnectorSpec.OnErase;
import org.dsrflow.connector.jdbc.JdbcConnectorSpec.TableSpec;

/**
 * Generates the SQL for a connector file whose identifiers have already been checked against the
 * database's metadata. Every statement is set-based (one per table, however many rows) and every
 * value — the subject's identifiers, fixed replacement values, hash keys — is a bound parameter.
 */
final class JdbcStatements {

    /** SQL text and the values to bind, in order. */
    record Sql(String text, List<Object> parameters) {
    }

    private final JdbcConnectorSpec spec;
    private final KeyedHash hashKey;
    private final SqlDialect dialect;

    JdbcStatements(JdbcConnectorSpec spec, KeyedHash hashKey, SqlDialect dialect) {
        this.spec = spec;
        this.hashKey = hashKey;
        this.dialect = dialect;
    }

    SqlDialect dialect() {
        return dialect;
    }

    Sql select(TableSpec table, Subject subject) {
        List<Object> params = new ArrayList<>();
        return new Sql(selectText(table, subject, params, (type, value) -> "?"), params);
    }

    /**
     * The same rows as {@link #select}, as a PostgreSQL {@code COPY … TO STDOUT}. COPY takes no bound
     * parameters, so each of the subject's identifiers is read with {@code current_setting} from
     * a transaction-local setting named {@link #subjectSetting} that the caller sets beforehand
     * (with a bound parameter): no value is ever part of the SQL text.
     */
    String copySelect(TableSpec table, Subject subject) {
        return "copy (" + selectText(table, subject, new ArrayList<>(), (type, value) -> "current_setting('" + subjectSetting(type) + "')")
                + ") to stdout";
    }

    /** The setting {@link #copySelect} reads an identifier of this type from (types are plain words: see the spec reader). */
    static String subjectSetting(String identifierType) {
        if (!identifierType.matches("[a-z]{1,30}")) {
            throw new IllegalArgumentException("not an identifier type: " + identifierType);
        }
        return "dsrflow.subject_" + identifierType;
    }

    private String selectText(TableSpec table, Subject subject, List<Object> params, java.util.function.BiFunction<String, String, String> marker) {
        String columns = String.join(", ", table.columns().stream().map(c -> quote(c.name())).toList());
        String where = subjectRows(table, subject, params, marker);
        return "select " + columns + " from " + qualified(table.name()) + " where " + where + " order by " + quote(table.key());
    }

    Sql count(TableSpec table, Subject subject) {
        List<Object> params = new ArrayList<>();
        String where = subjectRows(table, subject, params, (type, value) -> "?");
        return new Sql("select count(*) from " + qualified(table.name()) + " where " + where, params);
    }

    /** The erase statement for one table: a delete, or one update that rewrites every personal column. */
    Sql erase(TableSpec table, Subject subject) {
        List<Object> params = new ArrayList<>();
        if (table.onErase() == OnErase.DELETE) {
            String where = subjectRows(table, subject, params, (type, value) -> "?");
            return new Sql("delete from " + qualified(table.name()) + " where " + where, params);
        }
        List<String> assignments = new ArrayList<>();
        for (ColumnSpec column : table.columns()) {
            if (column.erase() != EraseStrategy.KEEP) {
                assignments.add(quote(column.name()) + " = " + replacement(column, params));
            }
        }
        if (assignments.isEmpty()) {
            // Nothing personal to rewrite: count the rows the subject has, so the report is still true.
            return count(table, subject);
        }
        String where = subjectRows(table, subject, params, (type, value) -> "?");
        return new Sql("update " + qualified(table.name()) + " set " + String.join(", ", assignments) + " where " + where, params);
    }

    /** Tables in the order erasure must visit them: children first, because they find their rows through their parents. */
    List<TableSpec> eraseOrder() {
        List<TableSpec> reversed = new ArrayList<>(spec.tables());
        java.util.Collections.reverse(reversed);
        return reversed;
    }

    private String replacement(ColumnSpec column, List<Object> params) {
        String quoted = quote(column.name());
        return switch (column.erase()) {
            case NULL -> "null";
            case HASH -> {
                params.add(hashKey.outerKey());
                params.add(hashKey.innerKey());
                yield dialect.keyedHash(quoted);
            }
            case MASK -> "left(" + quoted + ", 1) || '***'";
            case FIXED -> {
                params.add(column.value());
                yield "?";
            }
            case KEEP -> quoted;
        };
    }

    /** The predicate selecting the subject's rows: direct identifier matches, or membership through the parent. */
    private String subjectRows(TableSpec table, Subject subject, List<Object> params, java.util.function.BiFunction<String, String, String> marker) {
        if (table.via() != null) {
            TableSpec parent = spec.table(table.via().parent()).orElseThrow();
            String inner = subjectRows(parent, subject, params, marker);
            return quote(table.via().column()) + " in (select " + quote(table.via().parentColumn()) + " from "
                    + qualified(parent.name()) + " where " + inner + ")";
        }
        List<String> alternatives = new ArrayList<>();
        Map<String, String> identifiers = subject.identifiers();
        table.match().forEach((type, column) -> {
            String value = identifiers.get(type);
            if (value != null) {
                alternatives.add("lower(" + quote(column) + ") = " + marker.apply(type, value));
                params.add(value);
            }
        });
        return alternatives.isEmpty() ? "false" : "(" + String.join(" or ", alternatives) + ")";
    }

    private String qualified(String table) {
        return quote(spec.connection().schema()) + "." + quote(table);
    }

    static String quote(String identifier) {
        if (identifier == null || !JdbcSpecReader.IDENTIFIER.matcher(identifier).matches()) {
            throw new IllegalArgumentException("refusing to put a non-identifier into SQL: " + identifier);
        }
        return '"' + identifier + '"';
    }
}
