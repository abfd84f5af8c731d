package org.dsrflow.connector;

import java.util.Map;

/** Records exported per table. */
public record ExportSummary(String system, Map<String, Long> recordsPerTable) {
    public long total() {
        return recordsPerTable.values().stream().mapToLong(Long::longValue).sum();
    }
}
