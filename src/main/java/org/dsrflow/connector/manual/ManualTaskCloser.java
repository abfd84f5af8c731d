package org.dsrflow.connector.manual;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.dsrflow.ApiRefusal;
import org.dsrflow.audit.AuditLog;
import org.dsrflow.connector.AnswerRecords;
import org.dsrflow.connector.DeclaredSystem;
import org.dsrflow.connector.DeferredAnswer;
import org.dsrflow.connector.ExportSummary;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Closes a manual task from the console when its owner answered some other way (by phone, in a
 * ticket): an export with nothing found, or an erasure with the rows per dataset. The task is spent
 * exactly as if the owner had used the link, so a later click on it is refused; an export with
 * records still needs the owner's upload through the link.
 */
@Component
public class ManualTaskCloser {
    private final JdbcTemplate jdbc;
    private final ManualConnectorFactory connectors;
    private final ObjectProvider<DeferredAnswer.Listener> listener;
    private final AuditLog audit;
    private final AnswerRecords records;

    ManualTaskCloser(DataSource caseStore, ManualConnectorFactory connectors, ObjectProvider<DeferredAnswer.Listener> listener, AuditLog audit) {
        this.jdbc = new JdbcTemplate(caseStore);
        this.connectors = connectors;
        this.listener = listener;
        this.audit = audit;
        this.records = new AnswerRecords(caseStore);
    }

    /**
     * Records the answer on the case's task. Runs in the caller's transaction: the task is spent,
     * the answer recorded and the audit written together, or none of them.
     *
     * @param rows for an erasure, rows changed per dataset (datasets not named count 0); ignored for an export
     */
    public String close(String caseId, String system, Map<String, Long> rows, String actor, String reason) {
        ManualTaskController.TaskRow task = jdbc.query("select task_id, system, case_id, action, subject_email, deadline, answered_at "
                        + "from manual_task where case_id = ? and system = ? for update", (rs, i) -> new ManualTaskController.TaskRow(
                        rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getTimestamp(6) == null ? null : rs.getTimestamp(6).toInstant(),
                        rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant()), caseId, system)
                .stream().findFirst()
                .orElseThrow(() -> new ApiRefusal(404, "no_manual_task", "This request has no manual task for " + system + "."));
        if (task.answeredAt() != null) {
            throw new ApiRefusal(409, "already_reported", "The task for " + system + " has already been reported.");
        }
        DeclaredSystem spec = connectors.find(system)
                .orElseThrow(() -> new ApiRefusal(410, "system_gone", "The system " + system + " is no longer connected.")).spec();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (DeclaredSystem.Dataset d : spec.datasets()) {
            long n = rows == null ? 0 : rows.getOrDefault(d.name(), 0L);
            if (n < 0 || n > 1_000_000_000L) {
                throw new ApiRefusal(400, "bad_number", "rows." + d.name() + " must be a whole number from 0.");
            }
            counts.put(d.name(), n);
        }
        if (rows != null) {
            for (String named : rows.keySet()) {
                if (!counts.containsKey(named)) {
                    throw new ApiRefusal(400, "unknown_dataset", system + " has no dataset '" + named + "'.");
                }
            }
        }
        DeferredAnswer answer = switch (task.action()) {
            case "export" -> new DeferredAnswer(system, task.taskId(), DeferredAnswer.Status.NOT_FOUND,
                    new ExportSummary(system, Map.of()), null, null, null, false, sink -> { });
            case "erase" -> ManualTaskController.erased(task, spec, counts);
            default -> throw new ApiRefusal(409, "not_closable", "This kind of manual task is answered by its owner only.");
        };
        jdbc.update("update manual_task set answered_at = ?, answered_by = ? where task_id = ?", Timestamp.from(Instant.now()),
                actor, task.taskId());
        DeferredAnswer.Listener target = listener.getIfAvailable();
        if (target == null || !target.answered(answer)) {
            throw new ApiRefusal(409, "task_not_waiting", "The task for " + system + " is not waiting for an answer.");
        }
        records.delete(task.taskId());
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("system", system);
        detail.put("status", answer.status().name().toLowerCase(java.util.Locale.ROOT));
        detail.put("reason", reason);
        audit.append(caseId, actor, "manual.closed-by-operator", detail);
        return answer.status().name().toLowerCase(java.util.Locale.ROOT);
    }
}
