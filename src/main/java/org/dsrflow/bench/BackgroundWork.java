package org.dsrflow.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What PostgreSQL did on its own while a round was measured: the autovacuum workers it ran (looked
 * at once a second, so a table vacuumed for 30 s shows about 30 samples) and the checkpoints it
 * began, with what checkpoints wrote meanwhile (PostgreSQL 16's {@code pg_stat_bgwriter} counts a
 * checkpoint when it starts). Both take the same disk and cores as the round; a run slowed by them
 * says so, rather than leaving its number unexplained. Seeing the workers' tables and the counts
 * needs a superuser or {@code pg_read_all_stats} (the demo's {@code postgres} is one). Best effort:
 * a server it cannot read is left out, checkpoints it cannot count are said to be unknown, and
 * nothing here fails a benchmark.
 */
final class BackgroundWork implements AutoCloseable {
    /** The servers to watch: their JDBC URLs, each with the label its databases are named after. */
    record Server(String url, String label) {
    }

    private final List<Watched> watched = new ArrayList<>();
    private final Map<String, Integer> vacuumSeconds = new TreeMap<>();
    private final Thread sampler;
    private volatile boolean stopped;
    private long checkpoints;
    private long checkpointBytes;
    private boolean checkpointsKnown = true;

    private static final class Watched {
        final Server server;
        final Connection connection;
        final long[] checkpointsBefore;

        Watched(Server server, Connection connection, long[] checkpointsBefore) {
            this.server = server;
            this.connection = connection;
            this.checkpointsBefore = checkpointsBefore;
        }
    }

    private BackgroundWork(List<Server> servers, String user, String password) {
        for (Server s : servers) {
            try {
                Connection c = DriverManager.getConnection(s.url(), user, password);
                watched.add(new Watched(s, c, checkpoints(c)));
            } catch (SQLException e) {
                // not watched: the summary names only what it could see
            }
        }
        sampler = new Thread(this::sample, "bench-background-work");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts watching; {@link #close()} stops, and {@link #summary()} then says what was seen. */
    static BackgroundWork watch(List<Server> servers, String user, String password) {
        return new BackgroundWork(servers, user, password);
    }

    private void sample() {
        while (!stopped) {
            for (Watched w : watched) {
                try (Statement s = w.connection.createStatement();
                     ResultSet rs = s.executeQuery("select datname, query from pg_stat_activity where backend_type = 'autovacuum worker' "
                             + "and datname is not null")) {
                    while (rs.next()) {
                        String work = w.server.label() + rs.getString(1) + ": " + vacuumTarget(rs.getString(2));
                        synchronized (vacuumSeconds) {
                            vacuumSeconds.merge(work, 1, Integer::sum);
                        }
                    }
                } catch (SQLException e) {
                    // a sample missed; the next one may do
                }
            }
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** "autovacuum: VACUUM ANALYZE public.access_logs" → "VACUUM ANALYZE public.access_logs". */
    static String vacuumTarget(String query) {
        if (query == null || query.isBlank()) {
            return "(starting)";
        }
        return query.startsWith("autovacuum: ") ? query.substring("autovacuum: ".length()) : query;
    }

    /**
     * Checkpoints begun so far (timed and requested) and the bytes checkpoints wrote, or null where the
     * server does not tell ({@code pg_stat_bgwriter} has them up to PostgreSQL 16; 17 moved them).
     */
    private static long[] checkpoints(Connection c) {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select checkpoints_timed + checkpoints_req, buffers_checkpoint * current_setting('block_size')::bigint "
                     + "from pg_stat_bgwriter")) {
            return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : null;
        } catch (SQLException e) {
            return null;
        }
    }

    @Override
    public void close() {
        stopped = true;
        sampler.interrupt();
        try {
            sampler.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Watched w : watched) {
            long[] after = checkpoints(w.connection);
            if (w.checkpointsBefore != null && after != null) {
                checkpoints += after[0] - w.checkpointsBefore[0];
                checkpointBytes += after[1] - w.checkpointsBefore[1];
            } else {
                checkpointsKnown = false;
            }
            try {
                w.connection.close();
            } catch (SQLException e) {
                // closing a connection only read from: nothing to keep
            }
        }
    }

    /** What was seen, for the round's report (after {@link #close()}); null when no server could be watched. */
    String summary() {
        if (watched.isEmpty()) {
            return null;
        }
        synchronized (vacuumSeconds) {
            return describe(new LinkedHashMap<>(vacuumSeconds), checkpointsKnown ? checkpoints : -1, checkpointBytes);
        }
    }

    /**
     * "autovacuum logs: VACUUM public.access_logs (31 samples), …; 1 checkpoint begun (212.3 MB written
     * by checkpoints)", the longest autovacuum first; "none" when there was neither. A negative
     * {@code checkpoints} means they could not be counted.
     */
    static String describe(Map<String, Integer> vacuumSamples, long checkpoints, long checkpointBytes) {
        List<String> parts = new ArrayList<>();
        vacuumSamples.entrySet().stream().sorted((a, b) -> Integer.compare(b.getValue(), a.getValue()))
                .forEach(e -> parts.add(String.format(Locale.ROOT, "autovacuum %s (%d %s)", e.getKey(), e.getValue(),
                        e.getValue() == 1 ? "sample" : "samples")));
        if (checkpoints < 0) {
            parts.add("checkpoints unknown (not readable from pg_stat_bgwriter)");
        } else if (checkpoints > 0 || checkpointBytes > 0) {
            parts.add(String.format(Locale.ROOT, "%d %s begun (%.1f MB written by checkpoints)", checkpoints,
                    checkpoints == 1 ? "checkpoint" : "checkpoints", checkpointBytes / 1e6));
        }
        return parts.isEmpty() ? "none" : String.join("; ", parts);
    }
}
