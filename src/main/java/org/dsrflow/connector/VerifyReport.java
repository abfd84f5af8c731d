package org.dsrflow.connector;

import java.util.Map;

/** Records still findable for a subject, per table; erased means every count is zero. */
public record VerifyReport(String system, Map<String, Long> remainingPerTable) {
    public boolean erased() {
        return remainingPerTable.values().stream().allMatch(n -> n == 0);
    }
}
