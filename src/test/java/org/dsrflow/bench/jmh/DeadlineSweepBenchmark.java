package org.dsrflow.bench.jmh;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.dsrflow.sla.SlaWatch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Benchmark scenario 5 (issue 8): one round of the deadline watch over 100,000 open cases, goal
 * under a second. The application runs whole, on its embedded servers; {@link SlaWatch#sweep()} is
 * called directly, with the timer, the fulfilment and the outbox relay slowed to once a day so that
 * nothing else works on the cases meanwhile. A round that sends another number of notices than the
 * scenario sets up fails the benchmark, so a broken sweep cannot pass as a fast one.
 * Run: {@code ./mvnw -q test-compile exec:exec@benchmarks -Djmh.args="DeadlineSweep"} (about 4 minutes).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 5, time = 10)
public class DeadlineSweepBenchmark {

    /** No case at a notice point: the round only looks. */
    @Benchmark
    public int quietSweep(QuietCases store) {
        return store.expectSent(store.watch.sweep());
    }

    /** {@code busy} cases at the "five days left" point: each gets its mail, event and audit entry. */
    @Benchmark
    public int busySweep(BusyCases store) {
        return store.expectSent(store.watch.sweep());
    }

    /** The running application with {@code cases} open cases in its case store. */
    @State(Scope.Benchmark)
    public abstract static class LoadedCaseStore {
        private static final String ONCE_A_DAY = "86400000";
        /** The settings the application runs with: the test settings and these. */
        static final Map<String, String> SETTINGS = Map.of(
                "dsrflow.sla.sweep-period", ONCE_A_DAY,
                "dsrflow.fulfilment.poll-period", ONCE_A_DAY,
                "dsrflow.outbox.poll-period", ONCE_A_DAY);

        @Param("100000")
        public int cases;

        SlaWatch watch;
        JdbcTemplate caseStore;
        private RunningApplication application;

        @Setup(Level.Trial)
        public void start() {
            application = RunningApplication.borrowOrStart(SETTINGS);
            watch = application.bean(SlaWatch.class);
            caseStore = application.bean(JdbcTemplate.class);
            OpenCases.removeAll(caseStore);
            OpenCases.insert(caseStore, cases, nearDeadline());
        }

        @TearDown(Level.Trial)
        public void stop() {
            application.giveBack();
        }

        /** How many of the cases are at a notice point, and so how many notices a round must send. */
        abstract int nearDeadline();

        int expectSent(int sent) {
            if (sent != nearDeadline()) {
                throw new IllegalStateException("the sweep sent " + sent + " notices; " + nearDeadline() + " cases were at a notice point");
            }
            return sent;
        }
    }

    public static class QuietCases extends LoadedCaseStore {
        @Override
        int nearDeadline() {
            return 0;
        }
    }

    public static class BusyCases extends LoadedCaseStore {
        /** At most 500, the number of cases a round takes per point. */
        @Param("500")
        public int busy;

        @Override
        int nearDeadline() {
            return busy;
        }

        /** Every round finds the same cases at their point again, with an outbox as empty as before. */
        @Setup(Level.Invocation)
        public void forgetNotices() {
            OpenCases.forgetNotices(caseStore);
        }
    }
}
