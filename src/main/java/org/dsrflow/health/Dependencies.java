package org.dsrflow.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.dsrflow.LogSafe;
import org.dsrflow.Printable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether each server dsrflow depends on answers: the case store, the SMTP and IMAP servers, the
 * Kafka broker (each probed here, in the background, within a timeout) and every connected system
 * (as its own check last found it). Health, metrics and the console read the remembered outcome,
 * so none of them waits on a server that is down, and the console can show an outage of the case
 * store itself. A change is logged once, with how long the outage lasted.
 */
public class Dependencies implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dependencies.class);

    /** What kind of server a dependency is: decides where health lists it. */
    public enum Kind {
        DATABASE, MAIL, BROKER, SYSTEM
    }

    /** A server to probe: {@code check} returns when the server answers and throws otherwise. */
    public interface Probe {
        String name();

        Kind kind();

        void check() throws Exception;
    }

    /**
     * One dependency as last seen. {@code up} is null until the first check; {@code since} is when it
     * last went up or down; {@code outages} counts the times it went down since this instance started.
     */
    public record Status(String name, Kind kind, Boolean up, Instant since, Instant checkedAt, String problem, long outages) {
        public Duration downFor(Instant now) {
            return Boolean.FALSE.equals(up) ? Duration.between(since, now) : Duration.ZERO;
        }
    }

    /** An outcome reported from elsewhere (a connected system's own check). */
    public record Outcome(String name, boolean up, String problem) {
    }

    private final List<Probe> probes;
    private final Supplier<List<Outcome>> systems;
    private final Duration timeout;
    private final Duration period;
    private final MeterRegistry meters;
    private final Map<String, Status> statuses = new ConcurrentHashMap<>();
    private final ScheduledExecutorService clock;
    private final ExecutorService running = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dsrflow-dependency-probe");
        t.setDaemon(true);
        return t;
    });

    public Dependencies(List<Probe> probes, Supplier<List<Outcome>> systems, Duration period, Duration timeout, MeterRegistry meters) {
        this.probes = List.copyOf(probes);
        this.systems = systems;
        this.timeout = timeout;
        this.meters = meters;
        for (Probe p : probes) {
            register(p.name(), p.kind());
        }
        this.clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dsrflow-dependencies");
            t.setDaemon(true);
            return t;
        });
        this.period = period;
    }

    /** Starts the checks; called once the application is ready, so that embedded servers are up by then. */
    public void start() {
        clock.scheduleWithFixedDelay(this::checkAll, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Probes every server at once, each within the timeout, and takes in the systems' last checks. */
    void checkAll() {
        Instant started = Instant.now();
        List<Future<?>> pending = new ArrayList<>();
        List<Probe> order = new ArrayList<>();
        for (Probe p : probes) {
            pending.add(running.submit(() -> {
                p.check();
                return null;
            }));
            order.add(p);
        }
        for (int i = 0; i < pending.size(); i++) {
            Probe p = order.get(i);
            long left = Math.max(1, timeout.toMillis() - Duration.between(started, Instant.now()).toMillis());
            try {
                pending.get(i).get(left, TimeUnit.MILLISECONDS);
                record(p.name(), p.kind(), true, null);
            } catch (TimeoutException e) {
                pending.get(i).cancel(true);
                record(p.name(), p.kind(), false, "no answer within " + timeout.toMillis() + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                record(p.name(), p.kind(), false, describe(e.getCause() == null ? e : e.getCause()));
            }
        }
        try {
            for (Outcome o : systems.get()) {
                record(o.name(), Kind.SYSTEM, o.up(), o.up() || o.problem() == null ? null : Printable.clip(LogSafe.redact(o.problem()), 300));
            }
        } catch (RuntimeException e) {
            log.warn("Could not read the connected systems' checks: {}", describe(e));
        }
    }

    void record(String name, Kind kind, boolean up, String problem) {
        Instant now = Instant.now();
        Status before = statuses.get(name);
        if (before == null) {
            register(name, kind);
            before = statuses.get(name);
        }
        boolean changed = before.up() == null || before.up() != up;
        boolean wentDown = !up && !Boolean.FALSE.equals(before.up());
        statuses.put(name, new Status(name, kind, up, changed ? now : before.since(), now, problem,
                before.outages() + (wentDown ? 1 : 0)));
        if (wentDown) {
            meters.counter("dsrflow.dependency.outages", "dependency", name, "kind", kind.name().toLowerCase(Locale.ROOT)).increment();
            log.warn("{} is unreachable: {}", name, problem);
        } else if (up && Boolean.FALSE.equals(before.up())) {
            log.info("{} is back after {} s", name, Duration.between(before.since(), now).toSeconds());
        }
    }

    private void register(String name, Kind kind) {
        if (statuses.putIfAbsent(name, new Status(name, kind, null, Instant.now(), null, null, 0)) != null) {
            return;
        }
        String kindTag = kind.name().toLowerCase(Locale.ROOT);
        Gauge.builder("dsrflow.dependency.up", this, d -> d.status(name).map(s -> Boolean.TRUE.equals(s.up()) ? 1.0 : 0.0).orElse(Double.NaN))
                .description("1 while the server answers its checks, 0 while it does not")
                .tags("dependency", name, "kind", kindTag).register(meters);
        Gauge.builder("dsrflow.dependency.down.seconds", this, d -> d.status(name).map(s -> (double) s.downFor(Instant.now()).toSeconds()).orElse(0.0))
                .description("How long the current outage has lasted (0 while the server answers)")
                .tags("dependency", name, "kind", kindTag).register(meters);
        Counter.builder("dsrflow.dependency.outages").description("Times the server stopped answering")
                .tags("dependency", name, "kind", kindTag).register(meters);
    }

    public Optional<Status> status(String name) {
        return Optional.ofNullable(statuses.get(name));
    }

    /** Every dependency, servers first, then systems, each group by name. */
    public List<Status> all() {
        return statuses.values().stream()
                .sorted(Comparator.comparing(Status::kind).thenComparing(Status::name))
                .toList();
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage();
        return Printable.clip(LogSafe.redact(e.getClass().getSimpleName() + message), 300);
    }

    @Override
    public void close() {
        clock.shutdownNow();
        for (Probe p : probes) {
            if (p instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    log.debug("Closing the probe of {} failed", p.name(), e);
                }
            }
        }
        running.shutdownNow();
    }
}
