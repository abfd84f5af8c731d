package org.dsrflow.fulfilment;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.dsrflow.audit.AuditLog;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Per-system tasks of a case. Creating them twice is harmless; a final task keeps its result. */
@Repository
class TaskStore {
    record Task(String caseId, String system, String action, TaskState state, int attempts, String result, String error,
                boolean retriable, String taskRef, Instant startedAt) {
        /** Failed in a way only an operator's retry can get past. */
        boolean waitsForOperator() {
            return state == TaskState.FAILED && !retriable;
        }
    }

    private final JdbcTemplate jdbc;
    private final AuditLog audit;

    TaskStore(JdbcTemplate jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    /**
     * The case's tasks, with a pending one added first for each of these systems that has none yet:
     * one statement (the insert's own rows come from its {@code returning}, which the statement's
     * read of the table does not see).
     */
    List<Task> plan(String caseId, List<String> systems, String action) {
        String[] refs = systems.stream().map(s -> org.dsrflow.cases.Ulid.next()).toArray(String[]::new);
        return jdbc.query("with added as (insert into connector_task (case_id, system, action, state, task_ref) "
                        + "select ?, s.system, ?, ?, s.ref from unnest(?::varchar[], ?::varchar[]) with ordinality as s(system, ref, n) "
                        + "order by s.n on conflict (case_id, system) do nothing returning id, " + COLUMNS + ") "
                        + "select " + COLUMNS + " from (select id, " + COLUMNS + " from connector_task where case_id = ? "
                        + "union all select id, " + COLUMNS + " from added) t order by id",
                TaskStore::map, caseId, action, TaskState.PENDING.name(), systems.toArray(new String[0]), refs, caseId);
    }

    List<Task> forCase(String caseId) {
        return jdbc.query(SELECT + "where case_id = ? order by id", TaskStore::map, caseId);
    }

    java.util.Optional<Task> byRef(String taskRef) {
        return jdbc.query(SELECT + "where task_ref = ?", TaskStore::map, taskRef).stream().findFirst();
    }

    private static final String COLUMNS = "case_id, system, action, state, attempts, result, error, retriable, task_ref, started_at";

    private static final String SELECT = "select " + COLUMNS + " from connector_task ";

    private static Task map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        Timestamp started = rs.getTimestamp("started_at");
        return new Task(rs.getString("case_id"), rs.getString("system"), rs.getString("action"),
                TaskState.valueOf(rs.getString("state")), rs.getInt("attempts"), rs.getString("result"), rs.getString("error"),
                rs.getBoolean("retriable"), rs.getString("task_ref"), started == null ? null : started.toInstant());
    }

    /** The task was handed to a system that answers later. */
    void waiting(String caseId, String system) {
        jdbc.update("update connector_task set state = 'WAITING' where case_id = ? and system = ? and state = 'RUNNING'", caseId, system);
    }

    /**
     * Marks these systems' tasks running, unless already final, in one statement; returns the
     * systems marked (the others have nothing to do).
     */
    java.util.Set<String> start(String caseId, List<String> systems) {
        if (systems.isEmpty()) {
            return java.util.Set.of();
        }
        return new java.util.HashSet<>(jdbc.queryForList("update connector_task set state = 'RUNNING', attempts = attempts + 1, "
                        + "started_at = ?, error = null where case_id = ? and system = any (?) "
                        + "and state not in ('DONE','NOT_FOUND','RETAINED') returning system", String.class,
                Timestamp.from(Instant.now()), caseId, systems.toArray(new String[0])));
    }

    /**
     * Records the outcome of a task still under way, with its audit entry; false when it was already
     * recorded (a second copy of an answer), and then nothing is appended. Outside a transaction both
     * are one statement ({@link AuditLog#changeAndAppend}).
     */
    boolean finish(String caseId, String system, TaskState state, String result) {
        return audit.changeAndAppend("update connector_task set state = ?, result = ?, finished_at = ?, error = null where case_id = ? "
                        + "and system = ? and state in ('RUNNING','WAITING','FAILED') returning id",
                new Object[] {state.name(), result, Timestamp.from(Instant.now()), caseId, system},
                caseId, "fulfilment", "task." + state.name().toLowerCase(java.util.Locale.ROOT), java.util.Map.of("system", system)) == 1;
    }

    /**
     * A finished export whose part is missing is to run again: back to pending, with its audit entry
     * (an export only reads, so it may; an erasure never does). False when it was not a finished export.
     */
    boolean exportAgain(String caseId, String system) {
        return audit.changeAndAppend("update connector_task set state = 'PENDING', result = null, finished_at = null where case_id = ? "
                        + "and system = ? and action = 'ACCESS' and state = 'DONE' returning id", new Object[] {caseId, system},
                caseId, "fulfilment", "task.part-missing", java.util.Map.of("system", system)) == 1;
    }

    /** How many times this system's part of the case went missing before (its audit entries). */
    int partsMissingBefore(String caseId, String system) {
        return jdbc.queryForObject("select count(*) from audit_log where case_id = ? and action = 'task.part-missing' "
                + "and detail::json ->> 'system' = ?", Integer.class, caseId, system);
    }

    /** A finished export whose part keeps going missing fails, for an operator's retry; false when it was not a finished export. */
    boolean partLost(String caseId, String system, String error) {
        return audit.changeAndAppend("update connector_task set state = 'FAILED', retriable = false, error = ?, finished_at = ? "
                        + "where case_id = ? and system = ? and action = 'ACCESS' and state = 'DONE' returning id",
                new Object[] {error, Timestamp.from(Instant.now()), caseId, system},
                caseId, "fulfilment", "task.failed", java.util.Map.of("system", system, "retriable", false)) == 1;
    }

    /** Records a task's failure, with its audit entry; false (and nothing appended) when it was no longer under way. */
    boolean fail(String caseId, String system, String error, boolean retriable) {
        return audit.changeAndAppend("update connector_task set state = 'FAILED', error = ?, finished_at = ?, retriable = ? where case_id = ? "
                        + "and system = ? and state in ('RUNNING','WAITING') returning id",
                new Object[] {error.length() > 2000 ? error.substring(0, 2000) : error, Timestamp.from(Instant.now()), retriable, caseId, system},
                caseId, "fulfilment", "task.failed", java.util.Map.of("system", system, "retriable", retriable)) == 1;
    }

    /** An operator's retry: the failed tasks (of one system, or all) may run again; returns their systems. */
    List<String> allowRetry(String caseId, String system) {
        return jdbc.queryForList("update connector_task set retriable = true where case_id = ? and state = 'FAILED' "
                + "and (cast(? as varchar) is null or system = ?) returning system", String.class, caseId, system, system);
    }
}
