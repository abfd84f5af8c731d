package org.dsrflow.connector.manual;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.dsrflow.ApiRefusal;
import org.dsrflow.audit.AuditLog;
import org.dsrflow.connector.AnswerRecords;
import org.dsrflow.connector.DeclaredSystem;
import org.dsrflow.connector.DeferredAnswer;
import org.dsrflow.connector.ErasureReport;
import org.dsrflow.connector.ExportSummary;
import org.dsrflow.connector.VerifyReport;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.util.HtmlUtils;

/**
 * The page a manual task's signed link opens, and the report the owner sends from it: for an
 * export the records per dataset as CSV files, for an erasure the rows changed per dataset and the
 * owner's confirmation that a new search finds nothing, for a check the records still findable.
 * A task is reported once; the report is recorded on the case's task in the same transaction.
 */
@RestController
class ManualTaskController {
    private static final int RECORDS_PER_PIECE = 200;

    record TaskRow(String taskId, String system, String caseId, String action, String subject, Instant deadline, Instant answeredAt) {
    }

    private final ManualConnectorFactory connectors;
    private final JdbcTemplate jdbc;
    private final AnswerRecords records;
    private final TransactionTemplate tx;
    private final ObjectProvider<DeferredAnswer.Listener> listener;
    private final AuditLog audit;

    ManualTaskController(ManualConnectorFactory connectors, DataSource caseStore, TransactionTemplate tx,
                         ObjectProvider<DeferredAnswer.Listener> listener, AuditLog audit) {
        this.connectors = connectors;
        this.jdbc = new JdbcTemplate(caseStore);
        this.records = new AnswerRecords(caseStore);
        this.tx = tx;
        this.listener = listener;
        this.audit = audit;
    }

    @GetMapping("/manual/{token}")
    ResponseEntity<String> page(@PathVariable String token) {
        TaskRow task = openTask(token);
        DeclaredSystem spec = system(task).spec();
        StringBuilder form = new StringBuilder();
        for (DeclaredSystem.Dataset d : spec.datasets()) {
            String name = esc(d.name());
            form.append("<fieldset><legend>").append(name).append(" — ").append(esc(d.purpose())).append("</legend>");
            switch (task.action()) {
                case "export" -> form.append("<label>Records as CSV (first line the column names; leave empty if none)")
                        .append("<input type=\"file\" name=\"file.").append(name).append("\" accept=\".csv,text/csv\"></label>");
                case "erase" -> form.append("<label>Rows ").append(switch (d.onErase()) {
                            case "delete" -> "deleted";
                            case "retain" -> "kept (" + esc(d.retention() == null ? "" : d.retention().reasonIn("en")) + ")";
                            default -> "anonymized";
                        }).append("<input type=\"number\" min=\"0\" name=\"rows.").append(name).append("\" value=\"0\" required></label>");
                default -> form.append("<label>Records still found by the address")
                        .append("<input type=\"number\" min=\"0\" name=\"remaining.").append(name).append("\" value=\"0\" required></label>");
            }
            form.append("</fieldset>");
        }
        if (task.action().equals("erase")) {
            form.append("<label><input type=\"checkbox\" name=\"confirm\" value=\"yes\" required> I searched again by the address: ")
                    .append("nothing identifying the person can be found in this system.</label>");
        }
        String html = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Report a task · 报告任务</title><link rel="stylesheet" href="/assets/dsrflow.css"></head>
                <body><main class="page"><h1>%s: %s</h1>
                <p>Person: <strong>%s</strong> · Request %s · Due %s</p>
                <form method="post" enctype="multipart/form-data">%s
                <label>Your name or address (kept in the audit log)<input name="reporter" required maxlength="64"></label>
                <button class="button primary" type="submit">Report · 提交</button></form></main></body></html>
                """.formatted(esc(spec.title()), esc(task.action()), esc(task.subject()), esc(task.caseId() == null ? "-" : task.caseId()),
                task.deadline() == null ? "-" : task.deadline().toString(), form);
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Referrer-Policy", "no-referrer").body(html);
    }

    @PostMapping(path = "/manual/{token}", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<Map<String, Object>> report(@PathVariable String token, MultipartHttpServletRequest form) throws IOException {
        TaskRow task = openTask(token);
        ManualConnector connector = system(task);
        DeclaredSystem spec = connector.spec();
        String reporter = Optional.ofNullable(form.getParameter("reporter")).map(String::trim).filter(s -> !s.isEmpty())
                .orElseThrow(() -> new ApiRefusal(400, "reporter_required", "Say who reports (a name or an address)."));
        if (reporter.length() > 64) {
            throw new ApiRefusal(400, "reporter_too_long", "The reporter is limited to 64 characters.");
        }
        Map<String, Long> counts = task.action().equals("export") ? Map.of()
                : counts(spec, form, task.action().equals("erase") ? "rows." : "remaining.");
        if (task.action().equals("erase") && !"yes".equals(form.getParameter("confirm"))) {
            throw new ApiRefusal(400, "confirmation_required", "Confirm that a new search finds nothing identifying the person.");
        }
        // the link is spent first, so a second submission (a double click) cannot mix its uploads with this one's
        int claimed = jdbc.update("update manual_task set answered_at = ?, answered_by = ? where task_id = ? and answered_at is null",
                Timestamp.from(Instant.now()), reporter, task.taskId());
        if (claimed == 0) {
            throw new ApiRefusal(410, "already_reported", "This task has already been reported.");
        }
        DeferredAnswer answer;
        try {
            answer = switch (task.action()) {
                case "export" -> exported(task, spec, form);
                case "erase" -> erased(task, spec, counts);
                default -> new DeferredAnswer(task.system(), task.taskId(), DeferredAnswer.Status.DONE, null, null,
                        new VerifyReport(task.system(), counts), null, false, sink -> { });
            };
            if (task.caseId() == null) {
                connector.deliverToWaiter(answer);
            } else {
                DeferredAnswer.Listener target = listener.getIfAvailable();
                if (target == null || !target.answered(answer)) {
                    throw new IllegalStateException("the report matched no task of the case");
                }
                tx.executeWithoutResult(s -> audit.append(task.caseId(), reporter, "manual.reported",
                        Map.of("system", task.system(), "status", answer.status().name().toLowerCase())));
                records.delete(task.taskId());
            }
        } catch (RuntimeException | IOException e) {
            // nothing was recorded: the link opens again and staged records go
            jdbc.update("update manual_task set answered_at = null, answered_by = null where task_id = ?", task.taskId());
            records.delete(task.taskId());
            throw e;
        }
        return ResponseEntity.ok(Map.of("reported", answer.status().name().toLowerCase(), "system", task.system()));
    }

    private DeferredAnswer exported(TaskRow task, DeclaredSystem spec, MultipartHttpServletRequest form) throws IOException {
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, String> purposes = new LinkedHashMap<>();
        int[] seq = {0};
        for (DeclaredSystem.Dataset d : spec.datasets()) {
            purposes.put(d.name(), d.purpose());
            MultipartFile file = form.getFile("file." + d.name());
            long n = 0;
            if (file != null && !file.isEmpty()) {
                List<Map<String, Object>> piece = new ArrayList<>();
                try (BufferedReader in = new BufferedReader(new InputStreamReader(file.getInputStream(), StandardCharsets.UTF_8))) {
                    n = CsvRecords.read(in, row -> {
                        piece.add(row);
                        if (piece.size() == RECORDS_PER_PIECE) {
                            records.save(task.taskId(), seq[0]++, d.name(), List.copyOf(piece));
                            piece.clear();
                        }
                    });
                } catch (IllegalArgumentException e) {
                    throw new ApiRefusal(400, "bad_csv", "The file for " + d.name() + " is not readable CSV: " + e.getMessage());
                }
                if (!piece.isEmpty()) {
                    records.save(task.taskId(), seq[0]++, d.name(), List.copyOf(piece));
                }
            }
            counts.put(d.name(), n);
        }
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        return new DeferredAnswer(task.system(), task.taskId(), total == 0 ? DeferredAnswer.Status.NOT_FOUND : DeferredAnswer.Status.DONE,
                new ExportSummary(task.system(), counts), null, null, null, false, sink -> records.replay(task.taskId(), purposes, sink));
    }

    static DeferredAnswer erased(TaskRow task, DeclaredSystem spec, Map<String, Long> rows) {
        List<ErasureReport.TableErasure> tables = new ArrayList<>();
        Map<String, Long> remaining = new LinkedHashMap<>();
        for (DeclaredSystem.Dataset d : spec.datasets()) {
            ErasureReport.Outcome outcome = switch (d.onErase()) {
                case "delete" -> ErasureReport.Outcome.DELETED;
                case "retain" -> ErasureReport.Outcome.RETAINED;
                default -> ErasureReport.Outcome.ANONYMIZED;
            };
            tables.add(new ErasureReport.TableErasure(d.name(), outcome, rows.get(d.name()), d.retention()));
            remaining.put(d.name(), 0L); // what the owner just confirmed
        }
        ErasureReport report = new ErasureReport(task.system(), tables);
        DeferredAnswer.Status status = report.totalRows() == 0 ? DeferredAnswer.Status.NOT_FOUND
                : report.rows(ErasureReport.Outcome.RETAINED) > 0 ? DeferredAnswer.Status.RETAINED : DeferredAnswer.Status.DONE;
        return new DeferredAnswer(task.system(), task.taskId(), status, null, report, new VerifyReport(task.system(), remaining), null,
                false, sink -> { });
    }

    private static Map<String, Long> counts(DeclaredSystem spec, MultipartHttpServletRequest form, String prefix) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (DeclaredSystem.Dataset d : spec.datasets()) {
            String value = form.getParameter(prefix + d.name());
            try {
                long n = value == null || value.isBlank() ? 0 : Long.parseLong(value.trim());
                if (n < 0 || n > 1_000_000_000L) {
                    throw new NumberFormatException();
                }
                counts.put(d.name(), n);
            } catch (NumberFormatException e) {
                throw new ApiRefusal(400, "bad_number", "'" + prefix + d.name() + "' must be a whole number from 0.");
            }
        }
        return counts;
    }

    private TaskRow openTask(String token) {
        String taskId = connectors.links().taskId(token)
                .orElseThrow(() -> new ApiRefusal(404, "unknown_task", "This link is not valid."));
        TaskRow task = jdbc.query("select task_id, system, case_id, action, subject_email, deadline, answered_at from manual_task "
                + "where task_id = ?", (rs, i) -> new TaskRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7))), taskId).stream().findFirst()
                .orElseThrow(() -> new ApiRefusal(404, "unknown_task", "This link is not valid."));
        if (task.answeredAt() != null) {
            throw new ApiRefusal(410, "already_reported", "This task has already been reported.");
        }
        return task;
    }

    private ManualConnector system(TaskRow task) {
        return connectors.find(task.system())
                .orElseThrow(() -> new ApiRefusal(410, "system_gone", "The system of this task is no longer connected."));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String esc(String s) {
        return HtmlUtils.htmlEscape(s == null ? "" : s);
    }
}
