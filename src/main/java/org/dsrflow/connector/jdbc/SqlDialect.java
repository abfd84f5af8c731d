package org.dsrflow.connector.jdbc;

import java.util.Locale;
import java.util.Optional;

/**
 * The few expressions that differ between the databases the jdbc connector supports. Everything
 * else it generates (quoted identifiers, {@code lower()}, {@code left()}, {@code ||}, sub-selects)
 * is standard SQL that both accept.
 */
enum SqlDialect {
    POSTGRESQL {
        @Override
        String planForAnyValue() {
            return "set local plan_cache_mode = force_generic_plan";
        }

        @Override
        String keyedHash(String quotedColumn) {
            return "encode(sha256(cast(? as bytea) || sha256(cast(? as bytea) || convert_to(" + quotedColumn + ", 'UTF8'))), 'hex')";
        }
    },
    H2 {
        @Override
        String keyedHash(String quotedColumn) {
            return "lower(rawtohex(hash('SHA-256', cast(? as varbinary) || hash('SHA-256', cast(? as varbinary) || stringtoutf8("
                    + quotedColumn + ")))))";
        }
    };

    /**
     * A statement that makes the rest of the transaction plan its queries for any value of their
     * parameters, or null. Used for the proof that a subject is gone: the planner's statistics may
     * still count the subject's million rows (they were there at the last ANALYZE), and a plan for
     * that value reads the whole table to count nothing; a plan for any value uses the index.
     */
    String planForAnyValue() {
        return null;
    }

    /**
     * HMAC-SHA256 of a text column as 64 lower-case hex characters, computed by the database over
     * the whole table in one statement; binds the outer padded key, then the inner one.
     */
    abstract String keyedHash(String quotedColumn);

    /** The dialect for a database, by the product name its driver reports. */
    static Optional<SqlDialect> of(String productName) {
        String name = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        if (name.contains("postgresql")) {
            return Optional.of(POSTGRESQL);
        }
        if (name.equals("h2")) {
            return Optional.of(H2);
        }
        return Optional.empty();
    }
}
