package org.dsrflow.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which instance does the work that only one may do at a time (reading the privacy mailbox). Each
 * role is a PostgreSQL session-level advisory lock held on a connection of its own: the instance
 * that holds it is the leader; when it dies its connection closes, the lock goes with it, and at
 * the next check another instance takes it. A leader that can no longer reach the database steps
 * down at its next check, before another can take over.
 */
public class Leadership implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Leadership.class);

    /** Told when this instance becomes leader of a role, or stops being it. */
    public interface Listener {
        void elected(String role);

        void deposed(String role);
    }

    private final DataSource db;
    private final Map<String, Listener> roles = new ConcurrentHashMap<>();
    private final Map<String, Boolean> leading = new ConcurrentHashMap<>();
    private final ScheduledExecutorService checks;
    private Connection connection;

    public Leadership(DataSource db, long checkMillis) {
        this.db = db;
        this.checks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dsrflow-leadership");
            t.setDaemon(true);
            return t;
        });
        checks.scheduleWithFixedDelay(this::check, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
    }

    /** Takes part in the election for {@code role}; the listener hears the outcome (at once, if the lock is free). */
    public void join(String role, Listener listener) {
        roles.put(role, listener);
        leading.put(role, false);
        checks.execute(this::check);
    }

    public void leave(String role) {
        roles.remove(role);
        if (Boolean.TRUE.equals(leading.remove(role))) {
            synchronized (this) {
                unlock(role);
            }
        }
    }

    public boolean isLeader(String role) {
        return Boolean.TRUE.equals(leading.get(role));
    }

    /** Each role: leader or standby, for the health endpoint. */
    public Map<String, String> status() {
        Map<String, String> out = new java.util.TreeMap<>();
        roles.keySet().forEach(r -> out.put(r, isLeader(r) ? "leader" : "standby"));
        return out;
    }

    synchronized void check() {
        if (roles.isEmpty()) {
            return;
        }
        try {
            if (connection == null || !connection.isValid(2)) {
                stepDownAll("its database connection was lost");
                closeQuietly();
                connection = db.getConnection();
                connection.setAutoCommit(true);
            }
            for (Map.Entry<String, Listener> role : roles.entrySet()) {
                if (!isLeader(role.getKey()) && tryLock(role.getKey())) {
                    leading.put(role.getKey(), true);
                    log.info("This instance now leads {}", role.getKey());
                    role.getValue().elected(role.getKey());
                }
            }
        } catch (SQLException | RuntimeException e) {
            stepDownAll("the database did not answer (" + e.getClass().getSimpleName() + ")");
            closeQuietly();
        }
    }

    private void stepDownAll(String why) {
        for (Map.Entry<String, Listener> role : roles.entrySet()) {
            if (isLeader(role.getKey())) {
                leading.put(role.getKey(), false);
                log.warn("This instance stops leading {}: {}", role.getKey(), why);
                role.getValue().deposed(role.getKey());
            }
        }
    }

    private boolean tryLock(String role) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
            s.setLong(1, key(role));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private void unlock(String role) {
        if (connection == null) {
            return;
        }
        try (PreparedStatement s = connection.prepareStatement("select pg_advisory_unlock(?)")) {
            s.setLong(1, key(role));
            s.execute();
        } catch (SQLException e) {
            log.debug("Could not give up {} explicitly; closing the connection does", role);
        }
    }

    /** A lock id per role, in a range of its own so it cannot meet dsrflow's other advisory locks. */
    static long key(String role) {
        return 0x44535246_00000000L | (role.hashCode() & 0xFFFFFFFFL);
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                if (db instanceof com.zaxxer.hikari.HikariDataSource pool) {
                    // a connection the database may have ended must not go back to the pool for others
                    pool.evictConnection(connection);
                }
                connection.close();
            } catch (SQLException ignored) {
                // it is going away either way
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        checks.shutdownNow();
        stepDownAll("the instance is stopping");
        closeQuietly();
    }
}
