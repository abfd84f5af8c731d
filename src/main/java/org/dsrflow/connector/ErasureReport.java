package org.dsrflow.connector;

import java.util.List;

/** What an erasure did in one system, table by table. */
public record ErasureReport(String system, List<TableErasure> tables) {

    public enum Outcome { ANONYMIZED, DELETED, RETAINED }

    /** Rows touched in one table; for RETAINED, the rows are kept (personal fields anonymized) for the reason given. */
    public record TableErasure(String table, Outcome outcome, long rows, Retention retention) {
    }

    public long rows(Outcome outcome) {
        return tables.stream().filter(t -> t.outcome() == outcome).mapToLong(TableErasure::rows).sum();
    }

    public long totalRows() {
        return tables.stream().mapToLong(TableErasure::rows).sum();
    }
}
