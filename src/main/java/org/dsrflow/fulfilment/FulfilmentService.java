package org.dsrflow.fulfilment;


import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dsrflow.audit.AuditLog;
import org.dsrflow.cases.CaseState;
import org.dsrflow.cases.CaseStore;
import org.dsrflow.cases.CaseType;
import org.dsrflow.cases.DsrCase;
import org.dsrflow.connector.Connector;
import org.dsrflow.connector.ConnectorException;
import org.dsrflow.connector.ConnectorRegistry;
import org.dsrflow.connector.DeferredAnswer;
import org.dsrflow.connector.DeferredConnector;
import org.dsrflow.connector.RecordSink;
import org.dsrflow.connector.ErasureReport;
import org.dsrflow.connector.ExportSummary;
import org.dsrflow.connector.Subject;
import org.dsrflow.connector.VerifyReport;
import org.dsrflow.outbox.Outbox;
import org.dsrflow.reply.MailComposer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The steps of the fan-out route: plan a task per connected system, run each task (export or
 * erase, in parallel branches), then conclude — package or report, and queue the reply. Each
 * step stores its outcome before the next begins, so a restart picks up where it stopped and a
 * system that already finished is never asked again.
 */
@Component("fulfilment")
public class FulfilmentService implements DeferredAnswer.Listener {
    private static final Logger log = LoggerFactory.getLogger(FulfilmentService.class);

    /** Task result stored for an erasure: what was done and the proof that nothing is findable. */
    record ErasureResult(ErasureReport report, VerifyReport proof) {
    }

    private final CaseStore cases;
    private final TaskStore tasks;
    private final ConnectorRegistry connectors;
    private final SystemGuard guard;
    private final ExportPackager packager;
    private final MailComposer mails;
    private final Outbox outbox;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    private final org.dsrflow.sla.SlaMetrics metrics;

    /**
     * How long a case whose other systems are done waits, still held, for the answers of systems
     * that answer later (sent at the start of the same pass) before it is let go to wait for them.
     * Not final so that tests can lengthen it.
     */
    volatile java.time.Duration answerGrace;

    /** Cases waiting out {@link #answerGrace} on this instance, woken when an answer for them is recorded here. */
    private final Map<String, java.util.concurrent.CountDownLatch> awaitingAnswers = new java.util.concurrent.ConcurrentHashMap<>();

    FulfilmentService(CaseStore cases, TaskStore tasks, ConnectorRegistry connectors, ExportPackager packager, MailComposer mails,
                      Outbox outbox, AuditLog audit, TransactionTemplate tx, ObjectMapper json, SystemGuard guard,
                      org.dsrflow.sla.SlaMetrics metrics,
                      @org.springframework.beans.factory.annotation.Value("${dsrflow.fulfilment.answer-grace:PT0.5S}") java.time.Duration answerGrace) {
        if (answerGrace.isNegative()) {
            throw new IllegalArgumentException("dsrflow.fulfilment.answer-grace must not be negative");
        }
        this.answerGrace = answerGrace;
        this.metrics = metrics;
        this.guard = guard;
        this.cases = cases;
        this.tasks = tasks;
        this.connectors = connectors;
        this.packager = packager;
        this.mails = mails;
        this.outbox = outbox;
        this.audit = audit;
        this.tx = tx;
        this.json = json;
    }

    /** Moves the case into progress and returns the systems still to do (all of them the first time). */
    public List<TaskWork> plan(String caseId) {
        return tx.execute(status -> {
            DsrCase c = cases.get(caseId);
            if (c.state() != CaseState.VERIFIED && c.state() != CaseState.NEEDS_ATTENTION && c.state() != CaseState.WAITING_ON_SYSTEMS
                    && c.state() != CaseState.IN_PROGRESS) {
                return List.<TaskWork>of();
            }
            List<TaskWork> wanted = tasks.plan(caseId, connectors.all().stream().map(Connector::system).toList(), c.type().name()).stream()
                    .filter(t -> !t.state().isFinal() && !t.waitsForOperator() && !(t.state() == TaskState.WAITING && answerStillDue(t)))
                    .map(t -> new TaskWork(caseId, t.system(), c.type(), t.taskRef(), c.subjectEmail(), c.dueAt()))
                    .toList();
            // marked running here, all in one statement, rather than one by one as each starts
            java.util.Set<String> started = tasks.start(caseId, wanted.stream().map(TaskWork::system).toList());
            // tasks answered later (a remote system, a person) are handed out first: an answer that comes
            // back while the other systems work lets the case be concluded in this pass, instead of
            // waiting, being let go and claimed again when the answer arrives
            List<TaskWork> runnable = wanted.stream().filter(t -> started.contains(t.system()))
                    .sorted(java.util.Comparator.comparing((TaskWork t) -> !isDeferred(t.system()))).toList();
            // a case only waiting for answers is looked at quietly: no move unless there is work to do
            if (c.state() != CaseState.IN_PROGRESS && !(c.state() == CaseState.WAITING_ON_SYSTEMS && runnable.isEmpty())) {
                cases.transition(caseId, CaseState.IN_PROGRESS, "fulfilment", null);
            }
            return runnable;
        });
    }

    /**
     * Runs one system's task, already marked running by {@link #plan}; a failure is recorded on the
     * task (never thrown), so other systems carry on.
     */
    public void runTask(TaskWork work) {
        MDC.put("caseId", work.caseId());
        long started = System.nanoTime();
        try {
            Connector connector = connectors.find(work.system())
                    .orElseThrow(() -> new ConnectorException(work.system(), "no connector file for this system any more", false));
            String subjectEmail = work.subjectEmail();
            java.time.Instant dueAt = work.dueAt();
            if (subjectEmail == null) {
                DsrCase dsrCase = cases.get(work.caseId());
                subjectEmail = dsrCase.subjectEmail();
                dueAt = dsrCase.dueAt();
            }
            Subject subject = new Subject(subjectEmail);
            if (connector instanceof DeferredConnector deferred) {
                send(work, deferred, subject, dueAt);
                metrics.systemCall(work.system(), java.time.Duration.ofNanos(System.nanoTime() - started), "SENT");
                return;
            }
            TaskState outcome;
            Object result;
            if (work.action() == CaseType.ACCESS) {
                ExportSummary summary = guard.call(work.system(), () -> writePart(work.caseId(), connector.system(),
                        sink -> connector.export(subject, sink)));
                outcome = summary.total() == 0 ? TaskState.NOT_FOUND : TaskState.DONE;
                result = summary;
            } else {
                ErasureReport report = guard.call(work.system(), () -> connector.erase(subject));
                VerifyReport proof = guard.call(work.system(), () -> connector.verifyErased(subject));
                if (!proof.erased()) {
                    throw new ConnectorException(work.system(), "records still findable after erasure: " + proof.remainingPerTable(), false);
                }
                outcome = erasureOutcome(report);
                result = new ErasureResult(report, proof);
            }
            record(work, outcome, result);
            metrics.systemCall(work.system(), java.time.Duration.ofNanos(System.nanoTime() - started), outcome.name());
            log.info("Task {} for system {} finished: {}", work.action(), work.system(), outcome);
        } catch (RuntimeException e) {
            String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            // a system's own verdict decides; trouble on our side (a full disk, say) is worth another try
            failed(work, error, !(e instanceof ConnectorException ce) || ce.retriable());
        } finally {
            MDC.remove("caseId");
        }
    }

    /** Hands the task to a system that answers later; {@link #answered} records the answer when it comes. */
    private void send(TaskWork work, DeferredConnector deferred, Subject subject, java.time.Instant dueAt) {
        String action = work.action() == CaseType.ACCESS ? "export" : "erase";
        guard.call(work.system(), () -> {
            deferred.submit(new DeferredConnector.Order(work.taskRef(), work.caseId(), action, subject, dueAt));
            return null;
        });
        tx.executeWithoutResult(s -> {
            tasks.waiting(work.caseId(), work.system());
            audit.append(work.caseId(), "fulfilment", "task.sent", Map.of("system", work.system(), "task", work.taskRef()));
        });
        log.info("Task {} sent to system {}; its answer is awaited", work.action(), work.system());
    }

    private boolean isDeferred(String system) {
        return connectors.find(system).filter(DeferredConnector.class::isInstance).isPresent();
    }

    /** Whether a task sent to a deferred system may still be answered before it is due to be sent again. */
    private boolean answerStillDue(TaskStore.Task task) {
        return connectors.find(task.system()).filter(DeferredConnector.class::isInstance).map(DeferredConnector.class::cast)
                .map(d -> task.startedAt() != null && task.startedAt().plus(d.answerWithin()).isAfter(java.time.Instant.now()))
                .orElse(false);
    }

    /**
     * How long a case waiting on systems can be left alone: until the first awaited answer is
     * overdue (then the task is sent again), or the retry delay when a system failed meanwhile.
     */
    java.time.Duration nextLook(String caseId, java.time.Duration retryDelay) {
        List<TaskStore.Task> open = tasks.forCase(caseId).stream().filter(t -> !t.state().isFinal()).toList();
        if (open.isEmpty()) {
            return java.time.Duration.ZERO;
        }
        if (open.stream().anyMatch(t -> t.state() != TaskState.WAITING)) {
            return backoff(caseId, retryDelay);
        }
        // the answer wakes the case at once; looking again after the retry delay anyway bounds the
        // cost of a wake-up that never came (an instance that died between recording and waking)
        java.time.Instant now = java.time.Instant.now();
        return open.stream().map(t -> connectors.find(t.system()).filter(DeferredConnector.class::isInstance)
                        .map(c -> java.time.Duration.between(now, t.startedAt().plus(((DeferredConnector) c).answerWithin())))
                        .orElse(java.time.Duration.ZERO))
                .map(d -> d.isNegative() ? java.time.Duration.ZERO : d)
                .min(java.util.Comparator.naturalOrder()).map(d -> d.compareTo(retryDelay) > 0 ? retryDelay : d)
                .orElse(java.time.Duration.ZERO);
    }

    /**
     * How long a case whose systems failed waits before they are tried again: the retry delay,
     * doubled for each attempt the most-tried failed system has had, at most 64 times the delay
     * (1 minute grows to about an hour), so a system that is down for long is not hammered.
     */
    java.time.Duration backoff(String caseId, java.time.Duration retryDelay) {
        int attempts = tasks.forCase(caseId).stream().filter(t -> t.state() == TaskState.FAILED && t.retriable())
                .mapToInt(TaskStore.Task::attempts).max().orElse(1);
        return backoff(retryDelay, attempts);
    }

    static java.time.Duration backoff(java.time.Duration retryDelay, int attempts) {
        return retryDelay.multipliedBy(1L << Math.min(6, Math.max(0, attempts - 1)));
    }

    /**
     * A deferred system's answer: recorded on its task (once — copies of an answer change nothing),
     * then the case is woken so the fan-out can conclude or send again.
     */
    @Override
    public boolean answered(DeferredAnswer answer) {
        java.util.Optional<TaskStore.Task> found = tasks.byRef(answer.taskId());
        if (found.isEmpty()) {
            return false;
        }
        TaskStore.Task task = found.get();
        if (!task.system().equals(answer.system())) {
            log.warn("An answer from {} named a task of {}: ignored", answer.system(), task.system());
            return false;
        }
        if (task.state().isFinal() || task.state() == TaskState.PENDING) {
            log.info("Answer from {} for a task already {}: ignored", task.system(), task.state());
            return true;
        }
        // WAITING, RUNNING (answered before it was marked sent) or FAILED (a re-send failed meanwhile): a real answer counts
        MDC.put("caseId", task.caseId());
        try {
            TaskWork work = new TaskWork(task.caseId(), task.system(), CaseType.valueOf(task.action()), task.taskRef());
            if (!answer.succeeded()) {
                failed(work, answer.error(), answer.retriable());
            } else if (work.action() == CaseType.ACCESS) {
                ExportSummary summary = writePart(task.caseId(), task.system(), sink -> {
                    answer.replay().into(sink);
                    return answer.export();
                });
                record(work, summary.total() == 0 ? TaskState.NOT_FOUND : TaskState.DONE, summary);
            } else if (answer.verification() == null || !answer.verification().erased()) {
                failed(work, "records still findable after erasure: "
                        + (answer.verification() == null ? "no verification sent" : answer.verification().remainingPerTable()), false);
            } else {
                ErasureReport report = answer.erasure();
                record(work, erasureOutcome(report), new ErasureResult(report, answer.verification()));
            }
            wakeWaitingConclusion(task.caseId());
            cases.wake(task.caseId());
            return true;
        } finally {
            MDC.remove("caseId");
        }
    }

    /**
     * Ends the wait of a conclusion waiting out the answer grace for this case on this instance, once
     * the answer is visible to it: at once, or after the commit when it was recorded in a transaction
     * (an answer closed from the console).
     */
    private void wakeWaitingConclusion(String caseId) {
        Runnable wake = () -> {
            java.util.concurrent.CountDownLatch waiter = awaitingAnswers.get(caseId);
            if (waiter != null) {
                waiter.countDown();
            }
        };
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            wake.run();
                        }
                    });
        } else {
            wake.run();
        }
    }

    private static TaskState erasureOutcome(ErasureReport report) {
        return report.totalRows() == 0 ? TaskState.NOT_FOUND
                : report.rows(ErasureReport.Outcome.RETAINED) > 0 ? TaskState.RETAINED : TaskState.DONE;
    }

    private void failed(TaskWork work, String reported, boolean retriable) {
        // what a system says can quote the person's data; the task's error is shown to operators
        String error = org.dsrflow.LogSafe.redact(reported);
        metrics.systemError(work.system(), retriable);
        // the failure and its audit entry in one statement, a transaction of its own
        tasks.fail(work.caseId(), work.system(), error, retriable);
        log.warn("Task {} for system {} failed: {}", work.action(), work.system(), org.dsrflow.LogSafe.redact(error));
    }

    /**
     * An operator's retry of a case waiting on failed systems (all of them, or one): they run again at
     * the next poll; systems already done are not asked again.
     */
    public List<String> retry(String caseId, String system, String actor) {
        return retry(caseId, system, actor, null);
    }

    /** The same, with the operator's reason kept in the audit log. */
    public List<String> retry(String caseId, String system, String actor, String reason) {
        return tx.execute(s -> {
            DsrCase c = cases.find(caseId).orElseThrow(() -> new org.dsrflow.cases.CaseNotFoundException(caseId));
            if (c.state() != CaseState.NEEDS_ATTENTION) {
                throw new org.dsrflow.ApiRefusal(409, "not_waiting", "This request is not waiting on a failed system (it is " + c.state() + ").");
            }
            List<String> systems = tasks.allowRetry(caseId, system);
            if (systems.isEmpty()) {
                throw new org.dsrflow.ApiRefusal(404, "no_failed_system", "No failed system " + (system == null ? "" : system + " ")
                        + "to retry on this request.");
            }
            cases.release(caseId, java.time.Duration.ZERO);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("systems", systems);
            if (reason != null) {
                detail.put("reason", reason);
            }
            audit.append(caseId, actor, "fulfilment.retry-requested", detail);
            return systems;
        });
    }

    /**
     * Each system's part of a case for operators: state, attempts, last error and the stored result —
     * counts per table for an export, and for an erasure the report and its proof (what a new lookup
     * still finds). No records and no addresses: those stay in the package.
     */
    public List<Map<String, Object>> taskReport(String caseId) {
        cases.find(caseId).orElseThrow(() -> new org.dsrflow.cases.CaseNotFoundException(caseId));
        List<Map<String, Object>> out = new ArrayList<>();
        for (TaskStore.Task t : tasks.forCase(caseId)) {
            Map<String, Object> task = new LinkedHashMap<>();
            task.put("system", t.system());
            task.put("action", t.action());
            task.put("state", t.state().name());
            task.put("attempts", t.attempts());
            task.put("error", t.error());
            task.put("retriable", t.retriable());
            try {
                task.put("result", t.result() == null ? null : json.readTree(t.result()));
            } catch (JsonProcessingException e) {
                task.put("result", null);
            }
            out.add(task);
        }
        return out;
    }

    /** Whether every system the case still waits for failed in a way only an operator can get past. */
    boolean waitsForOperator(String caseId) {
        List<TaskStore.Task> open = tasks.forCase(caseId).stream().filter(t -> !t.state().isFinal()).toList();
        // tasks out with a deferred system do not change that: their answers are recorded whenever they come
        return open.stream().anyMatch(TaskStore.Task::waitsForOperator)
                && open.stream().allMatch(t -> t.waitsForOperator() || t.state() == TaskState.WAITING);
    }

    /** After the fan-out: reply when every system is final, otherwise flag the case for attention. */
    public DsrCase conclude(String caseId) {
        List<TaskStore.Task> all = tasks.forCase(caseId);
        DsrCase c = cases.get(caseId);
        if (c.state() != CaseState.IN_PROGRESS && c.state() != CaseState.WAITING_ON_SYSTEMS) {
            return c;
        }
        if (c.state() == CaseState.IN_PROGRESS && onlyAwaited(all) && answerMayComeSoon(all)) {
            all = awaitAnswers(caseId, all);
        }
        List<String> unfinished = all.stream().filter(t -> !t.state().isFinal()).map(TaskStore.Task::system).toList();
        if (!unfinished.isEmpty()) {
            boolean awaitedOnly = onlyAwaited(all);
            if (awaitedOnly && c.state() == CaseState.WAITING_ON_SYSTEMS) {
                return c;
            }
            if (awaitedOnly && c.state() == CaseState.IN_PROGRESS) {
                return tx.execute(s -> cases.transition(caseId, CaseState.WAITING_ON_SYSTEMS, "fulfilment",
                        "awaiting answers from: " + String.join(", ", unfinished)));
            }
            List<String> failed = all.stream().filter(t -> !t.state().isFinal() && t.state() != TaskState.WAITING)
                    .map(TaskStore.Task::system).toList();
            List<String> awaited = all.stream().filter(t -> t.state() == TaskState.WAITING).map(TaskStore.Task::system).toList();
            return tx.execute(s -> cases.transition(caseId, CaseState.NEEDS_ATTENTION, "fulfilment",
                    "systems not finished: " + String.join(", ", failed)
                            + (awaited.isEmpty() ? "" : "; awaiting answers from: " + String.join(", ", awaited))));
        }
        return c.type() == CaseType.ACCESS ? replyWithExport(c, all) : replyWithErasureReport(c, all);
    }

    /** Whether the case's unfinished tasks all wait for answers (and there is at least one). */
    private static boolean onlyAwaited(List<TaskStore.Task> all) {
        List<TaskStore.Task> open = all.stream().filter(t -> !t.state().isFinal()).toList();
        return !open.isEmpty() && open.stream().allMatch(t -> t.state() == TaskState.WAITING);
    }

    /** How old a sent task may be for its answer to be waited for: one sent in this pass, not one long overdue. */
    private static final java.time.Duration SENT_IN_THIS_PASS = java.time.Duration.ofMinutes(1);

    /** Looks again this often while waiting, so that an answer recorded by another instance counts too. */
    private static final long LOOK_AGAIN_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * Whether the awaited answers may come within the grace: every one from a system that answers by
     * machine (not a person, who takes days), sent within the last minute (not a task long overdue).
     */
    private boolean answerMayComeSoon(List<TaskStore.Task> all) {
        java.time.Instant recently = java.time.Instant.now().minus(SENT_IN_THIS_PASS);
        return all.stream().filter(t -> t.state() == TaskState.WAITING).allMatch(t -> t.startedAt() != null
                && t.startedAt().isAfter(recently)
                && connectors.find(t.system()).filter(c -> !(c instanceof org.dsrflow.connector.manual.ManualConnector)).isPresent());
    }

    /** Whether a conclusion on this instance is waiting out the answer grace for the case (for tests). */
    boolean awaitsAnswer(String caseId) {
        return awaitingAnswers.containsKey(caseId);
    }

    /**
     * Waits up to {@link #answerGrace} for the answers a case still awaits, and returns its tasks as
     * they are then. An answer usually comes back within a fraction of a second; letting the case go
     * to wait for it instead costs a move to waiting, a release, a wake-up, a new claim and a move
     * back into progress. An answer recorded on this instance ends the wait at once; one recorded on
     * another instance is seen at the next look (every 100 ms). Each look registers before it reads,
     * so an answer recorded between the read and the wait is not missed.
     */
    private List<TaskStore.Task> awaitAnswers(String caseId, List<TaskStore.Task> tasksNow) {
        java.time.Duration grace = answerGrace;
        if (grace.isZero()) {
            return tasksNow;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        List<TaskStore.Task> now = tasksNow;
        while (onlyAwaited(now)) {
            java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
            awaitingAnswers.put(caseId, answer);
            try {
                // read after registering: an answer recorded before this read is in it, one after counts down the latch
                now = tasks.forCase(caseId);
                if (!onlyAwaited(now)) {
                    return now;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return now;
                }
                answer.await(Math.min(left, LOOK_AGAIN_NANOS), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return now;
            } finally {
                awaitingAnswers.remove(caseId, answer);
            }
        }
        return now;
    }

    private DsrCase replyWithExport(DsrCase c, List<TaskStore.Task> all) {
        Map<String, Long> perSystem = new LinkedHashMap<>();
        for (TaskStore.Task t : all) {
            perSystem.put(t.system(), t.result() == null ? 0 : read(t.result(), ExportSummary.class).total());
        }
        // A system's records are not here (its part was written on another instance, or removed): that
        // system exports again, rather than a package saying "N records" and holding none, or a
        // conclusion failing the same way on every claim. Exports only read, so asking twice is harmless.
        List<String> missing = perSystem.entrySet().stream().filter(e -> e.getValue() > 0 && !packager.hasPart(c.id(), e.getKey()))
                .map(Map.Entry::getKey).toList();
        if (!missing.isEmpty()) {
            DsrCase after = partsMissing(c, missing);
            if (after != null) {
                return after;
            }
            // nothing could be reset (not finished exports): the build below says which part is missing
        }
        ExportPackager.Package pkg = packager.build(c, connectors, perSystem);
        DsrCase replied = tx.execute(s -> {
            packager.register(c.id(), pkg);
            DsrCase fulfilled = cases.transition(c.id(), CaseState.FULFILLED, "fulfilment", "export package ready");
            outbox.enqueueMail(c.id(), mails.accessReply(fulfilled, pkg.link(), pkg.expiresAt(), perSystem));
            // the passcode travels in a mail of its own, so the link alone opens nothing
            outbox.enqueueMail(c.id(), mails.exportPasscode(fulfilled, pkg.passcode(), pkg.expiresAt()));
            return cases.transition(c.id(), CaseState.REPLIED, "reply", "reply queued for delivery");
        });
        packager.discardParts(c.id());
        return replied;
    }

    /**
     * How many times a system's part may go missing before its task waits for an operator: parts that
     * keep vanishing mean instances that do not share the export folder (docs/operations.md), and
     * exporting again would not end.
     */
    static final int PART_MISSING_LIMIT = 3;

    /**
     * Sends the systems whose parts are missing back to export, in one transaction with the case's
     * move back into progress (a case woken by an answer is waiting on systems: left there, it would
     * sit out the retry delay); a system whose part went missing {@link #PART_MISSING_LIMIT} times
     * fails instead, for an operator, and the case needs attention. Null when no task was reset.
     */
    private DsrCase partsMissing(DsrCase c, List<String> missing) {
        return tx.execute(s -> {
            List<String> again = new ArrayList<>();
            List<String> lost = new ArrayList<>();
            for (String system : missing) {
                if (tasks.partsMissingBefore(c.id(), system) >= PART_MISSING_LIMIT) {
                    if (tasks.partLost(c.id(), system, "its export part went missing " + PART_MISSING_LIMIT
                            + " times (do all instances share the export folder?)")) {
                        lost.add(system);
                    }
                } else if (tasks.exportAgain(c.id(), system)) {
                    again.add(system);
                }
            }
            if (again.isEmpty() && lost.isEmpty()) {
                return null;
            }
            log.warn("The export parts of {} are missing: {} export again, {} wait for an operator", missing, again, lost);
            if (!lost.isEmpty()) {
                return cases.transition(c.id(), CaseState.NEEDS_ATTENTION, "fulfilment",
                        "export parts missing again: " + String.join(", ", lost));
            }
            return c.state() == CaseState.IN_PROGRESS ? c
                    : cases.transition(c.id(), CaseState.IN_PROGRESS, "fulfilment", "export parts missing: " + String.join(", ", again));
        });
    }

    private DsrCase replyWithErasureReport(DsrCase c, List<TaskStore.Task> all) {
        List<ErasureReport> reports = new ArrayList<>();
        List<VerifyReport> proofs = new ArrayList<>();
        for (TaskStore.Task t : all) {
            ErasureResult r = read(t.result(), ErasureResult.class);
            reports.add(r.report());
            proofs.add(r.proof());
        }
        return tx.execute(s -> {
            DsrCase fulfilled = cases.transition(c.id(), CaseState.FULFILLED, "fulfilment", "erasure complete and verified in every system");
            outbox.enqueueMail(c.id(), mails.erasureReply(fulfilled, reports, proofs));
            return cases.transition(c.id(), CaseState.REPLIED, "reply", "reply queued for delivery");
        });
    }

    /** Writes one system's export as an (encrypted) part file; the writer streams records into the sink it is given. */
    private ExportSummary writePart(String caseId, String system, java.util.function.Function<RecordSink, ExportSummary> writer) {
        return packager.writePart(caseId, system, out -> ExportParts.writeJson(json, out, system, writer));
    }

    private void record(TaskWork work, TaskState outcome, Object result) {
        // the outcome and its audit entry in one statement, a transaction of its own (one round trip)
        tasks.finish(work.caseId(), work.system(), outcome, write(result));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String value, Class<T> type) {
        try {
            return json.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored task result is unreadable", e);
        }
    }

}
