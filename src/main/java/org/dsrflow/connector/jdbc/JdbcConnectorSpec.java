package org.dsrflow.connector.jdbc;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.dsrflow.connector.Retention;

/** A {@code type: jdbc} connector file, parsed and structurally valid (the database is checked later). */
record JdbcConnectorSpec(String system, String title, String owner, ConnectionSpec connection, List<TableSpec> tables,
                         IdentitySpec identity) {

    /**
     * The account system's declaration ({@code identity:}): the table of accounts, its key, the
     * contact address on record, optionally the account's region and data points that a stricter
     * verification may ask for (name → column).
     */
    record IdentitySpec(String table, String key, String email, String region, Map<String, String> dataPoints) {
    }

    /**
     * Where the system's database is. {@code exportWorkMem} is the memory each sort or bitmap of an
     * export may use on PostgreSQL (its {@code work_mem}, for the export's transaction only).
     */
    record ConnectionSpec(String url, String username, String password, String schema, String exportWorkMem) {
    }

    enum OnErase { ANONYMIZE, DELETE, RETAIN }

    enum EraseStrategy { KEEP, NULL, HASH, MASK, FIXED }

    record Via(String column, String parent, String parentColumn) {
    }

    record ColumnSpec(String name, String category, EraseStrategy erase, String value) {
    }

    /** A table holds the subject's rows found either directly ({@code match}) or through a parent ({@code via}). */
    record TableSpec(String name, String purpose, Map<String, String> match, Via via, String key, OnErase onErase,
                     Retention retention, List<ColumnSpec> columns) {

        Optional<ColumnSpec> column(String column) {
            return columns.stream().filter(c -> c.name().equals(column)).findFirst();
        }
    }

    Optional<TableSpec> table(String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
