package org.dsrflow.connector;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.dsrflow.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Each connected system's health as last checked, and its last error in fulfilment. Checks run in
 * the background (a timer route) with a timeout each, so asking for the health never waits on a
 * system that hangs.
 */
@Component("connectorHealth")
public class ConnectorHealth {
    private static final Logger log = LoggerFactory.getLogger(ConnectorHealth.class);

    /** One check's outcome. */
    public record Status(boolean reachable, List<String> problems, Instant checkedAt, long tookMillis) {
        public boolean healthy() {
            return reachable && problems.isEmpty();
        }
    }

    private final ConnectorRegistry registry;
    private final JdbcTemplate jdbc;
    private final Duration timeout;
    private final Map<String, Status> last = new ConcurrentHashMap<>();
    private final ExecutorService checks = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dsrflow-connector-check");
        t.setDaemon(true);
        return t;
    });

    ConnectorHealth(ConnectorRegistry registry, JdbcTemplate jdbc, @Value("${dsrflow.connectors.check-timeout:PT10S}") Duration timeout) {
        this.registry = registry;
        this.jdbc = jdbc;
        this.timeout = timeout;
    }

    /** Checks every system, each within the timeout; a system that does not answer in time is unreachable. */
    public void checkAll() {
        for (Connector c : registry.all()) {
            Instant started = Instant.now();
            Future<ConnectorCheck> running = checks.submit(c::check);
            Status status;
            try {
                ConnectorCheck check = running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                status = new Status(check.reachable(), List.copyOf(check.problems()), started, millisSince(started));
            } catch (TimeoutException e) {
                running.cancel(true);
                status = new Status(false, List.of("no answer within " + timeout.toSeconds() + " s"), started, millisSince(started));
            } catch (Exception e) {
                status = new Status(false, List.of(LogSafe.redact(String.valueOf(e.getCause() == null ? e : e.getCause()))), started,
                        millisSince(started));
            }
            Status before = last.put(c.system(), status);
            if (before == null || before.healthy() != status.healthy()) {
                if (status.healthy()) {
                    log.info("System {} is healthy", c.system());
                } else {
                    log.warn("System {} is not healthy: {}", c.system(), status.problems());
                }
            }
        }
    }

    /** Each system's last check, by system name (systems not checked yet are missing). */
    public Map<String, Status> lastChecks() {
        return Map.copyOf(last);
    }

    /** For {@code GET /api/connectors}: every system with its description, last check and last error. */
    public List<Map<String, Object>> overview() {
        return registry.all().stream().map(c -> {
            ConnectorDescription d = c.describe();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("system", c.system());
            out.put("type", d.type());
            out.put("title", d.title());
            out.put("owner", d.owner());
            out.put("identitySource", c.identity().isPresent());
            Status s = last.get(c.system());
            Map<String, Object> health = new LinkedHashMap<>();
            health.put("status", s == null ? "UNCHECKED" : s.healthy() ? "UP" : "DOWN");
            if (s != null) {
                health.put("reachable", s.reachable());
                health.put("problems", s.problems());
                health.put("checkedAt", s.checkedAt());
                health.put("tookMillis", s.tookMillis());
            }
            out.put("health", health);
            out.put("lastError", lastError(c.system()));
            out.put("tasksLast24h", tasks(c.system()));
            return out;
        }).toList();
    }

    private Map<String, Object> lastError(String system) {
        return jdbc.query("select case_id, action, error, coalesce(finished_at, started_at) at from connector_task "
                        + "where system = ? and error is not null order by coalesce(finished_at, started_at) desc nulls last limit 1",
                rs -> {
                    if (!rs.next()) {
                        return null;
                    }
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("case", rs.getString("case_id"));
                    e.put("action", rs.getString("action"));
                    e.put("message", rs.getString("error"));
                    e.put("at", rs.getTimestamp("at") == null ? null : rs.getTimestamp("at").toInstant());
                    return e;
                }, system);
    }

    private Map<String, Object> tasks(String system) {
        Map<String, Object> counts = new LinkedHashMap<>();
        jdbc.query("select state, count(*) n from connector_task where system = ? and coalesce(finished_at, started_at) > now() - interval '1 day' "
                + "group by state order by state", rs -> {
                    counts.put(rs.getString("state"), rs.getLong("n"));
                }, system);
        return counts;
    }

    private static long millisSince(Instant started) {
        return Duration.between(started, Instant.now()).toMillis();
    }
}
