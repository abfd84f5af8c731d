package org.dsrflow.connector.manual;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.dsrflow.connector.ConnectorCheck;
import org.dsrflow.connector.ConnectorDescription;
import org.dsrflow.connector.ConnectorException;
import org.dsrflow.connector.DeclaredSystem;
import org.dsrflow.connector.DeferredAnswer;
import org.dsrflow.connector.DeferredConnector;
import org.dsrflow.connector.ErasureReport;
import org.dsrflow.connector.ExportSummary;
import org.dsrflow.connector.RecordSink;
import org.dsrflow.connector.Subject;
import org.dsrflow.connector.VerifyReport;
import org.dsrflow.outbox.Outbox;
import org.dsrflow.reply.MailComposer;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A system nobody can automate (a paper archive, a vendor portal): each task is mailed to the
 * system's owner with a signed link, and the owner reports what they did on the page it opens.
 * Sending a task again (no report within {@code answer-within}) sends a reminder. The system is
 * "reachable" when dsrflow can record and mail its tasks; the owner's diligence is watched by the
 * deadline, not by a health check.
 */
public final class ManualConnector implements DeferredConnector {
    private final DeclaredSystem spec;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Outbox outbox;
    private final MailComposer mails;
    private final ManualLinks links;
    private final Duration syncWait;
    private final Map<String, CompletableFuture<DeferredAnswer>> waiting = new ConcurrentHashMap<>();
    private final org.dsrflow.connector.AnswerRecords records;

    ManualConnector(DeclaredSystem spec, DataSource caseStore, Outbox outbox, MailComposer mails, ManualLinks links, Duration syncWait) {
        this.spec = spec;
        this.jdbc = new JdbcTemplate(caseStore);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(caseStore));
        this.outbox = outbox;
        this.mails = mails;
        this.links = links;
        this.syncWait = syncWait;
        this.records = new org.dsrflow.connector.AnswerRecords(caseStore);
    }

    @Override
    public String system() {
        return spec.system();
    }

    DeclaredSystem spec() {
        return spec;
    }

    @Override
    public Duration answerWithin() {
        return spec.answerWithin();
    }

    @Override
    public ConnectorDescription describe() {
        return spec.describe("manual");
    }

    @Override
    public ConnectorCheck check() {
        try {
            jdbc.queryForObject("select count(*) from manual_task where system = ? and answered_at is null", Long.class, system());
            return new ConnectorCheck(system(), true, List.of());
        } catch (DataAccessException e) {
            return new ConnectorCheck(system(), false, List.of(system() + ": tasks cannot be recorded or mailed (case store unreachable)"));
        }
    }

    /** Records the task and queues the mail to the owner in one transaction; a repeat is sent as a reminder. */
    @Override
    public void submit(Order order) {
        try {
            tx.executeWithoutResult(s -> {
                Timestamp now = Timestamp.from(Instant.now());
                // sent again: a reminder; and if a report was spent without reaching the case (the case still
                // asks), the link opens again so the owner can report anew
                int repeated = jdbc.update("update manual_task set sent_count = sent_count + 1, last_sent_at = ?, answered_at = null, "
                        + "answered_by = null where task_id = ?", now, order.taskId());
                if (repeated == 0) {
                    jdbc.update("insert into manual_task (task_id, system, case_id, action, subject_email, deadline, first_sent_at, "
                                    + "last_sent_at) values (?,?,?,?,?,?,?,?)",
                            order.taskId(), system(), order.caseId(), order.action(), order.subject().email(),
                            order.deadline() == null ? null : Timestamp.from(order.deadline()), now, now);
                }
                outbox.enqueueMail(order.caseId(), mails.manualTask(spec.owner(), spec.language(), system(), spec.title(), order.caseId(),
                        order.action(), order.subject().email(), order.deadline(), links.link(order.taskId()), repeated > 0));
            });
        } catch (DataAccessException | org.springframework.transaction.TransactionException e) {
            throw new ConnectorException(system(), "the task could not be recorded: " + e.getMostSpecificCause().getClass().getSimpleName(), true);
        }
    }

    @Override
    public ExportSummary export(Subject subject, RecordSink sink) {
        DeferredAnswer answer = ask("export", subject);
        try {
            answer.replay().into(sink);
        } finally {
            records.delete(answer.taskId());
        }
        return answer.export();
    }

    @Override
    public ErasureReport erase(Subject subject) {
        return ask("erase", subject).erasure();
    }

    @Override
    public VerifyReport verifyErased(Subject subject) {
        return ask("verify-erased", subject).verification();
    }

    /** Sends a task outside any case and waits for the owner's report (a one-off check, the contract tests). */
    private DeferredAnswer ask(String action, Subject subject) {
        String taskId = "check-" + UUID.randomUUID();
        CompletableFuture<DeferredAnswer> answer = waiting.computeIfAbsent(taskId, id -> new CompletableFuture<>());
        try {
            submit(new Order(taskId, null, action, subject, null));
            DeferredAnswer a = answer.get(syncWait.toMillis(), TimeUnit.MILLISECONDS);
            if (!a.succeeded()) {
                throw new ConnectorException(system(), a.error(), a.retriable());
            }
            return a;
        } catch (TimeoutException e) {
            throw new ConnectorException(system(), "the owner did not report within " + syncWait.toSeconds() + " s", true);
        } catch (ExecutionException e) {
            throw new ConnectorException(system(), String.valueOf(e.getCause()), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(system(), "interrupted while waiting for the owner", true);
        } finally {
            waiting.remove(taskId);
        }
    }

    /** Hands the owner's report to a waiting one-off call; false when none waits (the report is for a case's task). */
    boolean deliverToWaiter(DeferredAnswer answer) {
        CompletableFuture<DeferredAnswer> waiter = waiting.get(answer.taskId());
        return waiter != null && waiter.complete(answer);
    }
}
