package org.dsrflow.sla;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.dsrflow.cases.CaseMoved;
import org.dsrflow.cases.CaseState;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Deadline metrics for managers' dashboards (Micrometer, so /actuator/prometheus): cases by
 * state, due soon, overdue, the share closed within the deadline, time to close and time in each
 * stage. Counts come from the case store, read at most every {@code REFRESH} however often the
 * gauges are scraped; times are recorded as cases move, after the move commits.
 */
@Component
public class SlaMetrics {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SlaMetrics.class);
    private static final Duration REFRESH = Duration.ofSeconds(15);
    private static final Duration DUE_SOON = Duration.ofDays(3);

    /** One read of the case store's counts. */
    record Snapshot(Instant at, Map<CaseState, Long> byState, long dueSoon, long overdue, double closedInTime, long atRisk) {
        /** What the gauges show while the case store cannot be read: no value (NaN), a gap on the dashboard. */
        static Snapshot unavailable(Instant at) {
            return new Snapshot(at, null, 0, 0, 0, 0);
        }

        boolean known() {
            return byState != null;
        }
    }

    private final JdbcTemplate jdbc;
    private final MeterRegistry registry;
    private final AtomicReference<Snapshot> last = new AtomicReference<>();

    SlaMetrics(JdbcTemplate jdbc, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.registry = registry;
        for (CaseState state : CaseState.values()) {
            Gauge.builder("dsrflow.cases", this, m -> m.read(s -> s.byState().getOrDefault(state, 0L)))
                    .description("Requests in each state").tag("state", state.name()).register(registry);
        }
        Gauge.builder("dsrflow.cases.due.soon", this, m -> m.read(Snapshot::dueSoon))
                .description("Open requests due within 3 days").register(registry);
        Gauge.builder("dsrflow.cases.overdue", this, m -> m.read(Snapshot::overdue))
                .description("Open requests past their due date").register(registry);
        Gauge.builder("dsrflow.cases.at.risk", this, m -> m.read(Snapshot::atRisk))
                .description("Open requests forecast to finish after their due date").register(registry);
        Gauge.builder("dsrflow.cases.closed.in.time.ratio", this, m -> m.read(Snapshot::closedInTime))
                .description("Share of answered requests answered by their due date").register(registry);
    }

    /** One gauge's value from the current counts; none (NaN) while the case store cannot be read. */
    private double read(java.util.function.Function<Snapshot, Number> value) {
        Snapshot s = snapshot();
        return s.known() ? value.apply(s).doubleValue() : Double.NaN;
    }

    /**
     * The counts, read again once {@code REFRESH} has passed. While the case store cannot be read the
     * gauges have no value, and it is tried again only after {@code REFRESH}, so a scrape during an
     * outage does not wait on the database once per gauge.
     */
    synchronized Snapshot snapshot() {
        Snapshot s = last.get();
        if (s != null && s.at().plus(REFRESH).isAfter(Instant.now())) {
            return s;
        }
        try {
            Snapshot fresh = readCounts();
            last.set(fresh);
            return fresh;
        } catch (org.springframework.dao.DataAccessException | org.springframework.transaction.TransactionException e) {
            log.debug("Deadline metrics not read: {}", e.getClass().getSimpleName());
            Snapshot none = Snapshot.unavailable(Instant.now());
            last.set(none);
            return none;
        }
    }

    private Snapshot readCounts() {
        Map<CaseState, Long> byState = new EnumMap<>(CaseState.class);
        jdbc.query("select state, count(*) from dsr_case group by state",
                rs -> {
                    byState.put(CaseState.valueOf(rs.getString(1)), rs.getLong(2));
                });
        Timestamp now = Timestamp.from(Instant.now());
        String open = "state not in ('FULFILLED','REPLIED','REJECTED','DUPLICATE','WITHDRAWN') and due_at is not null";
        Long dueSoon = jdbc.queryForObject("select count(*) from dsr_case where " + open + " and due_at >= ? and due_at < ?", Long.class,
                now, Timestamp.from(now.toInstant().plus(DUE_SOON)));
        Long overdue = jdbc.queryForObject("select count(*) from dsr_case where " + open + " and due_at < ?", Long.class, now);
        Double inTime = jdbc.queryForObject("select coalesce(avg(case when closed_at <= due_at then 1.0 else 0.0 end), 1.0) "
                + "from dsr_case where state = 'REPLIED' and due_at is not null", Double.class);
        Long atRisk = jdbc.queryForObject("select count(*) from dsr_case c where " + open + " and exists (select 1 from sla_notice n "
                + "where n.case_id = c.id and n.point = 'at-risk' and n.due_at = c.due_at)", Long.class);
        return new Snapshot(Instant.now(), byState, dueSoon == null ? 0 : dueSoon, overdue == null ? 0 : overdue,
                inTime == null ? 1.0 : inTime, atRisk == null ? 0 : atRisk);
    }

    /** Time to close (from receipt to the reply) and time spent in the stage a case leaves. */
    @TransactionalEventListener(fallbackExecution = true)
    public void caseMoved(CaseMoved moved) {
        if (moved.from() == null) {
            return;
        }
        // read with the case by the move itself (null only if the history lacks the state's entry)
        Instant entered = moved.fromSince();
        if (entered != null) {
            Timer.builder("dsrflow.case.stage").description("Time a request spent in a state").tag("stage", moved.from().name())
                    .publishPercentileHistogram().register(registry)
                    .record(Duration.between(entered, moved.at()));
        }
        if (moved.current().state() == CaseState.REPLIED && moved.current().receivedAt() != null) {
            Timer.builder("dsrflow.case.time.to.close").description("From receipt to the reply")
                    .tag("type", moved.current().type().name()).publishPercentileHistogram().register(registry)
                    .record(Duration.between(moved.current().receivedAt(), moved.at()));
        }
    }

    /** A connected system's call: how long, and how it ended. */
    public void systemCall(String system, Duration took, String outcome) {
        Timer.builder("dsrflow.system.task").description("Calls to connected systems").tag("system", system).tag("outcome", outcome)
                .register(registry).record(took);
    }

    /** A connected system's failure, retriable or not. */
    public void systemError(String system, boolean retriable) {
        registry.counter("dsrflow.system.errors", "system", system, "retriable", String.valueOf(retriable)).increment();
    }
}
