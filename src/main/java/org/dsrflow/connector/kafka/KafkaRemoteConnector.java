package org.dsrflow.connector.kafka;

import org.dsrflow.connector.DeclaredSystem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.dsrflow.connector.ConnectorCheck;
import org.dsrflow.connector.ConnectorDescription;
import org.dsrflow.connector.ConnectorException;
import org.dsrflow.connector.DeferredAnswer;
import org.dsrflow.connector.DeferredConnector;
import org.dsrflow.connector.ErasureReport;
import org.dsrflow.connector.ExportSummary;
import org.dsrflow.connector.RecordSink;
import org.dsrflow.connector.Retention;
import org.dsrflow.connector.Subject;
import org.dsrflow.connector.VerifyReport;
import org.dsrflow.remote.RemoteProtocol;
import org.dsrflow.remote.RemoteResult;
import org.dsrflow.remote.RemoteTask;

/**
 * A system run by another team that takes its work from Kafka (docs/remote-protocol.md). Tasks go
 * to {@code dsrflow.tasks.<system>}, answers come back on {@code dsrflow.results.<system>} and are
 * read by {@link RemoteAnswers}. The synchronous calls send a task and wait up to {@code syncWait}.
 */
public final class KafkaRemoteConnector implements DeferredConnector, AutoCloseable {
    private final DeclaredSystem spec;
    private final RemoteAnswers answers;
    private final Duration syncWait;
    private final KafkaProducer<String, String> producer;

    KafkaRemoteConnector(DeclaredSystem spec, RemoteAnswers answers, Duration syncWait) {
        this.spec = spec;
        this.answers = answers;
        this.syncWait = syncWait;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, answers.brokers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        answers.register(this);
    }

    @Override
    public String system() {
        return spec.system();
    }

    /** Whether the connector file names this dataset (answers about any other are not taken). */
    boolean declares(String dataset) {
        return spec.datasets().stream().anyMatch(d -> d.name().equals(dataset));
    }

    @Override
    public Duration answerWithin() {
        return spec.answerWithin();
    }

    @Override
    public ConnectorDescription describe() {
        return spec.describe("kafka");
    }

    /** The topics exist and the answers are being read; the remote service's own health is its team's to watch. */
    @Override
    public ConnectorCheck check() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, answers.brokers());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        try (Admin admin = Admin.create(p)) {
            var names = admin.listTopics().names().get(6, TimeUnit.SECONDS);
            List<String> problems = new ArrayList<>();
            for (String topic : List.of(RemoteProtocol.tasksTopic(system()), RemoteProtocol.resultsTopic(system()))) {
                if (!names.contains(topic)) {
                    problems.add(system() + ": topic " + topic + " does not exist");
                }
            }
            if (!answers.isRunning()) {
                problems.add(system() + ": answers are not being read (the results reader is not running)");
            }
            return new ConnectorCheck(system(), true, problems);
        } catch (ExecutionException | TimeoutException e) {
            return new ConnectorCheck(system(), false, List.of(system() + ": Kafka unreachable at " + answers.brokers()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ConnectorCheck(system(), false, List.of(system() + ": check interrupted"));
        }
    }

    @Override
    public void submit(Order order) {
        RemoteTask task = new RemoteTask(RemoteProtocol.TASK_PROTOCOL, order.taskId(), order.caseId(), system(), order.action(),
                order.subject().identifiers(), order.deadline() == null ? null : order.deadline().toString(), Instant.now().toString());
        try {
            producer.send(new ProducerRecord<>(RemoteProtocol.tasksTopic(system()), order.taskId(), RemoteProtocol.write(task)))
                    .get(15, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new ConnectorException(system(), "could not publish the task to Kafka: " + rootMessage(e), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(system(), "interrupted while publishing the task", true);
        }
    }

    @Override
    public ExportSummary export(Subject subject, RecordSink sink) {
        DeferredAnswer answer = ask(RemoteProtocol.EXPORT, subject);
        try {
            answer.replay().into(sink);
        } finally {
            answers.chunks().delete(answer.taskId());
        }
        return answer.export();
    }

    @Override
    public ErasureReport erase(Subject subject) {
        return ask(RemoteProtocol.ERASE, subject).erasure();
    }

    @Override
    public VerifyReport verifyErased(Subject subject) {
        return ask(RemoteProtocol.VERIFY_ERASED, subject).verification();
    }

    private DeferredAnswer ask(String action, Subject subject) {
        String taskId = "sync-" + UUID.randomUUID();
        CompletableFuture<DeferredAnswer> answer = answers.expect(taskId);
        try {
            submit(new Order(taskId, taskId, action, subject, null));
            DeferredAnswer a = answer.get(syncWait.toMillis(), TimeUnit.MILLISECONDS);
            if (!a.succeeded()) {
                throw new ConnectorException(system(), a.error(), a.retriable());
            }
            return a;
        } catch (TimeoutException e) {
            throw new ConnectorException(system(), "no answer within " + syncWait.toSeconds() + " s", true);
        } catch (ExecutionException e) {
            throw new ConnectorException(system(), rootMessage(e), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(system(), "interrupted while waiting for the answer", true);
        } finally {
            answers.forget(taskId);
        }
    }

    /** Turns the wire result into the answer fulfilment understands, using the file's datasets for purposes and retention. */
    DeferredAnswer toAnswer(RemoteResult result) {
        DeferredAnswer.Status status = switch (result.status()) {
            case "done" -> DeferredAnswer.Status.DONE;
            case "not-found" -> DeferredAnswer.Status.NOT_FOUND;
            case "retained" -> DeferredAnswer.Status.RETAINED;
            case "rejected" -> DeferredAnswer.Status.REJECTED;
            default -> DeferredAnswer.Status.FAILED;
        };
        if (status == DeferredAnswer.Status.FAILED || status == DeferredAnswer.Status.REJECTED) {
            String error = result.error() == null ? "the system reported a failure without a message" : result.error().message();
            boolean retriable = status == DeferredAnswer.Status.FAILED && (result.error() == null || result.error().retriable());
            return new DeferredAnswer(system(), result.taskId(), status, null, null, null, status.name().toLowerCase() + ": " + error,
                    retriable, sink -> { });
        }
        int received = answers.chunks().countBelow(result.taskId(), result.chunks());
        if (received < result.chunks()) {
            return new DeferredAnswer(system(), result.taskId(), DeferredAnswer.Status.FAILED, null, null, null,
                    "the answer announced " + result.chunks() + " record messages, " + received + " arrived", true, sink -> { });
        }
        List<RemoteResult.DatasetResult> datasets = result.datasets() == null ? List.of() : result.datasets();
        Map<String, Long> exported = new LinkedHashMap<>();
        spec.datasets().forEach(d -> exported.put(d.name(), 0L));
        List<ErasureReport.TableErasure> erased = new ArrayList<>();
        for (RemoteResult.DatasetResult d : datasets) {
            if (!declares(d.name())) {
                continue; // the manifest and the package only hold what the connector file declares
            }
            if (d.records() != null) {
                exported.put(d.name(), d.records());
            }
            if (d.outcome() != null) {
                erased.add(new ErasureReport.TableErasure(d.name(), outcome(d.outcome()), d.rows() == null ? 0 : d.rows(), retention(d)));
            }
        }
        Map<String, String> purposes = new LinkedHashMap<>();
        spec.datasets().forEach(d -> purposes.put(d.name(), d.purpose()));
        String taskId = result.taskId();
        return new DeferredAnswer(system(), taskId, status, new ExportSummary(system(), exported), new ErasureReport(system(), erased),
                result.remaining() == null ? null : new VerifyReport(system(), result.remaining()), null, false,
                sink -> answers.chunks().replay(taskId, result.chunks(), purposes, sink));
    }

    private Retention retention(RemoteResult.DatasetResult d) {
        if (!"retained".equals(d.outcome())) {
            return null;
        }
        return spec.datasets().stream().filter(s -> s.name().equals(d.name()) && s.retention() != null).map(DeclaredSystem.Dataset::retention)
                .findFirst().orElseGet(() -> d.retention() == null ? null
                        : new Retention(Map.of("en", String.valueOf(d.retention().reason())), d.retention().legalBasis(), d.retention().period()));
    }

    private static ErasureReport.Outcome outcome(String outcome) {
        return switch (outcome) {
            case "deleted" -> ErasureReport.Outcome.DELETED;
            case "retained" -> ErasureReport.Outcome.RETAINED;
            default -> ErasureReport.Outcome.ANONYMIZED;
        };
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
