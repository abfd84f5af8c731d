package org.dsrflow.health;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a failure to reach the database at all (no connection to be had, or the connection lost)
 * from an error in a statement. The first is an outage: the web API answers 503, timer routes
 * leave it to the outage report instead of logging every poll, and the work is tried again.
 */
@Component("outages")
public class Outages {

    /** For routes: {@code outages.caseStoreUnreachable(${exception})}. */
    public boolean caseStoreUnreachable(Exception e) {
        return unreachable(e);
    }

    /**
     * No connection could be had ({@code CannotGetJdbcConnectionException}, a transaction that could not
     * begin, the pool's wait running out) or the connection broke (SQLState class 08). Other resource
     * failures (a full disk, out of memory, SQLState 53) are not outages of the connection and are
     * logged as errors.
     */
    public static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CannotGetJdbcConnectionException || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientConnectionException
                    || t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }
}
