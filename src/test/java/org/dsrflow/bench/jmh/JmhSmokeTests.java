package org.dsrflow.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The JMH benchmarks at a tiny scale, in every build: each runs through JMH's own runner, in this
 * JVM (no fork), for one short warm-up and one short measurement, and must come back with a
 * positive score made of real samples. A benchmark that throws (a sweep sending the wrong number
 * of notices, say) fails the run.
 */
class JmhSmokeTests {

    @Test
    @Tag("stack")
    void theDeadlineSweepRunsOverATinyCaseStore() throws RunnerException {
        // both sweeps on one application: it takes longer to start and stop than the two runs together
        Collection<RunResult> results;
        try (RunningApplication application = RunningApplication.start(DeadlineSweepBenchmark.LoadedCaseStore.SETTINGS)) {
            RunningApplication.lend(application);
            results = new Runner(tiny(DeadlineSweepBenchmark.class)
                    .param("cases", "1000")
                    .param("busy", "20")
                    .build()).run();
        } finally {
            RunningApplication.lend(null);
        }

        assertScoredWithSamples(results, "quietSweep", "busySweep");
    }

    @Test
    void exportEncodingRunsIntoNothingAndIntoASealedPart() throws RunnerException {
        Collection<RunResult> results = new Runner(tiny(ExportEncodingBenchmark.class).build()).run();

        assertScoredWithSamples(results, "encodeToNull", "encodeSealed");
    }

    private static ChainedOptionsBuilder tiny(Class<?> benchmark) {
        return new OptionsBuilder()
                .include(Pattern.quote(benchmark.getName()) + "\\.")
                .forks(0)
                .warmupIterations(1)
                .warmupTime(TimeValue.milliseconds(300))
                .measurementIterations(1)
                .measurementTime(TimeValue.seconds(1))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
    }

    private static void assertScoredWithSamples(Collection<RunResult> results, String... benchmarks) {
        assertThat(results).extracting(r -> method(r)).containsExactlyInAnyOrder(benchmarks);
        for (RunResult run : results) {
            Result<?> primary = run.getPrimaryResult();
            assertThat(primary.getScore()).as(method(run) + " score, " + primary.getScoreUnit()).isPositive();
            assertThat(primary.getSampleCount()).as(method(run) + " samples").isPositive();
            assertThat(run.getBenchmarkResults()).as(method(run) + " iterations").isNotEmpty();
        }
    }

    private static String method(RunResult run) {
        String benchmark = run.getParams().getBenchmark();
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }
}
