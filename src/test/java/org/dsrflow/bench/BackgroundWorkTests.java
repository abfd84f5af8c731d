package org.dsrflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** The line that says what PostgreSQL did on its own while a round was measured. */
class BackgroundWorkTests {

    @Test
    void namesTheLongestAutovacuumFirstThenTheCheckpoints() {
        Map<String, Integer> samples = new TreeMap<>(Map.of("dsrflow: VACUUM ANALYZE public.outbox", 2, "logs: VACUUM public.access_logs", 31,
                "billing: ANALYZE public.accounts", 1));
        assertThat(BackgroundWork.describe(samples, 1, 212_345_678))
                .isEqualTo("autovacuum logs: VACUUM public.access_logs (31 samples); autovacuum dsrflow: VACUUM ANALYZE public.outbox (2 samples); "
                        + "autovacuum billing: ANALYZE public.accounts (1 sample); 1 checkpoint begun (212.3 MB written by checkpoints)");
        assertThat(BackgroundWork.describe(Map.of(), 2, 8192)).isEqualTo("2 checkpoints begun (0.0 MB written by checkpoints)");
        // a checkpoint begun before the round and finishing in it writes without a new one begun
        assertThat(BackgroundWork.describe(Map.of(), 0, 40_000_000)).isEqualTo("0 checkpoints begun (40.0 MB written by checkpoints)");
    }

    @Test
    void saysNoneWhenThereWasNeitherAndUnknownWhenCheckpointsCouldNotBeCounted() {
        assertThat(BackgroundWork.describe(Map.of(), 0, 0)).isEqualTo("none");
        assertThat(BackgroundWork.describe(Map.of(), -1, 0)).isEqualTo("checkpoints unknown (not readable from pg_stat_bgwriter)");
    }

    @Test
    void takesTheTableFromTheWorkersQuery() {
        assertThat(BackgroundWork.vacuumTarget("autovacuum: VACUUM public.access_logs (to prevent wraparound)"))
                .isEqualTo("VACUUM public.access_logs (to prevent wraparound)");
        assertThat(BackgroundWork.vacuumTarget("")).isEqualTo("(starting)");
        assertThat(BackgroundWork.vacuumTarget(null)).isEqualTo("(starting)");
    }
}
