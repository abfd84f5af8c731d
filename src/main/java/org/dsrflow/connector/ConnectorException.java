package org.dsrflow.connector;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.SQLRecoverableException;

/**
 * A connector call that failed. Retriable failures (the system is down, a timeout, a lock) are
 * tried again later; permanent ones (a schema that no longer matches, a refused login) need a person.
 */
public class ConnectorException extends RuntimeException {
    private final String system;
    private final boolean retriable;

    public ConnectorException(String system, String message, boolean retriable) {
        super(system + ": " + message);
        this.system = system;
        this.retriable = retriable;
    }

    public static ConnectorException from(String system, String operation, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        // 08 connection, 40 rollback/serialization, 53 resources, 57 operator intervention (e.g. shutdown)
        boolean retriable = e instanceof SQLTransientException || e instanceof SQLRecoverableException
                || state.startsWith("08") || state.startsWith("40") || state.startsWith("53") || state.startsWith("57");
        return new ConnectorException(system, operation + " failed (SQLState " + state + "): " + e.getMessage(), retriable);
    }

    public String system() {
        return system;
    }

    public boolean retriable() {
        return retriable;
    }
}
