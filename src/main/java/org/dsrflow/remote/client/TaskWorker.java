package org.dsrflow.remote.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.dsrflow.remote.OneByOne;
import org.dsrflow.remote.RemoteProtocol;
import org.dsrflow.remote.RemoteResult;
import org.dsrflow.remote.RemoteResult.DatasetResult;
import org.dsrflow.remote.RemoteResult.ErrorInfo;
import org.dsrflow.remote.RemoteResult.RetentionInfo;
import org.dsrflow.remote.RemoteTask;

/**
 * Runs inside a backend team's service: reads dsrflow's tasks for one system, calls the team's
 * {@link PersonalDataHandler}, and publishes the answers. A task's offset is committed only after
 * its answer is acknowledged by the broker, so a crash in between means the task is done again —
 * which the protocol allows, since handlers are idempotent.
 *
 * <pre>{@code
 * try (TaskWorker worker = new TaskWorker("kafka:9092", "notifications", myHandler)) {
 *     worker.start();
 *     ...
 * }
 * }</pre>
 *
 * Depends on kafka-clients and Jackson only; logs through java.util.logging, never a person's data.
 */
public final class TaskWorker implements AutoCloseable {
    private static final Logger log = Logger.getLogger(TaskWorker.class.getName());

    private final String system;
    private final PersonalDataHandler handler;
    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final AtomicBoolean running = new AtomicBoolean();
    private Thread thread;

    public TaskWorker(String bootstrapServers, String system, PersonalDataHandler handler) {
        this(bootstrapServers, system, handler, new Properties());
    }

    /** {@code extra} adds or overrides client properties (security settings, say) for both consumer and producer. */
    public TaskWorker(String bootstrapServers, String system, PersonalDataHandler handler, Properties extra) {
        this.system = system;
        this.handler = handler;
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, system + "-dsrflow-tasks");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10");
        c.putAll(extra);
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putAll(extra);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    public void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        consumer.subscribe(List.of(RemoteProtocol.tasksTopic(system)));
        thread = new Thread(this::loop, "dsrflow-task-worker-" + system);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (running.get()) {
                try {
                    if (!handleBatch(consumer.poll(Duration.ofMillis(500)))) {
                        Thread.sleep(1000);
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (org.apache.kafka.common.KafkaException e) {
                    // a rebalance or a failed commit: uncommitted tasks are read again, which the protocol allows
                    log.warning("reading tasks for " + system + " paused: " + e.getClass().getSimpleName());
                    Thread.sleep(1000);
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close();
        }
    }

    /** Answers a batch; a task whose answer cannot be published is read again after a pause. */
    private boolean handleBatch(org.apache.kafka.clients.consumer.ConsumerRecords<String, String> batch) {
        return OneByOne.handle(consumer, batch, record -> {
            try {
                handle(record.value());
                return OneByOne.Outcome.DONE;
            } catch (IllegalStateException e) {
                log.warning(e.getMessage() + "; trying again");
                return OneByOne.Outcome.RETRY_LATER;
            }
        });
    }

    /** Handles one task message and publishes its answer; public so a service can feed tasks from elsewhere in tests. */
    public void handle(String message) {
        RemoteTask task;
        try {
            task = RemoteProtocol.readTask(message);
        } catch (RemoteProtocol.MalformedMessage e) {
            if (e.taskId() != null) {
                send(e.taskId(), RemoteResult.result(e.taskId(), system, "rejected", 0, List.of(), null, new ErrorInfo(e.getMessage(), false)));
            } else {
                log.warning("A task for " + system + " was dropped: " + e.getMessage() + " (no taskId, so it cannot be answered)");
            }
            return;
        }
        if (!system.equals(task.system())) {
            send(task.taskId(), RemoteResult.result(task.taskId(), system, "rejected", 0, List.of(), null,
                    new ErrorInfo("system: this worker serves " + system + ", the task is for " + task.system(), false)));
            return;
        }
        RemoteResult answer;
        try {
            answer = switch (task.action()) {
                case RemoteProtocol.EXPORT -> export(task);
                case RemoteProtocol.ERASE -> erase(task);
                default -> verify(task);
            };
        } catch (PersonalDataHandler.PermanentFailure e) {
            answer = failed(task, e.getMessage(), false);
        } catch (Exception e) {
            // the exception's class only: its message may quote the person's data
            log.log(Level.WARNING, "task " + task.taskId() + " for " + system + " failed", e);
            answer = failed(task, e.getClass().getSimpleName() + " in the service (see its log for task " + task.taskId() + ")", true);
        }
        send(task.taskId(), answer);
    }

    private RemoteResult export(RemoteTask task) throws Exception {
        Chunker chunker = new Chunker(task.taskId());
        handler.export(task.subject(), chunker::add);
        chunker.flush();
        List<DatasetResult> datasets = chunker.counts.entrySet().stream()
                .map(e -> new DatasetResult(e.getKey(), null, e.getValue(), null, null, null)).toList();
        long total = chunker.counts.values().stream().mapToLong(Long::longValue).sum();
        return RemoteResult.result(task.taskId(), system, total == 0 ? "not-found" : "done", chunker.seq, datasets, null, null);
    }

    private RemoteResult erase(RemoteTask task) throws Exception {
        List<DatasetErasure> erased = handler.erase(task.subject());
        Map<String, Long> remaining = handler.remaining(task.subject());
        List<DatasetResult> datasets = erased.stream().map(d -> new DatasetResult(d.dataset(), null, null, d.outcome(), d.rows(),
                "retained".equals(d.outcome()) ? new RetentionInfo(d.reason(), d.legalBasis(), d.period()) : null)).toList();
        long rows = erased.stream().mapToLong(DatasetErasure::rows).sum();
        boolean kept = erased.stream().anyMatch(d -> "retained".equals(d.outcome()) && d.rows() > 0);
        String status = rows == 0 ? "not-found" : kept ? "retained" : "done";
        return RemoteResult.result(task.taskId(), system, status, 0, datasets, remaining, null);
    }

    private RemoteResult verify(RemoteTask task) throws Exception {
        Map<String, Long> remaining = handler.remaining(task.subject());
        return RemoteResult.result(task.taskId(), system, "done", 0, List.of(), remaining, null);
    }

    private RemoteResult failed(RemoteTask task, String message, boolean retriable) {
        return RemoteResult.result(task.taskId(), system, "failed", 0, List.of(), null, new ErrorInfo(message, retriable));
    }

    /** Sends records in pieces of {@link RemoteProtocol#RECORDS_PER_MESSAGE}, one dataset per piece. */
    private final class Chunker {
        private final String taskId;
        private final Map<String, Long> counts = new LinkedHashMap<>();
        private final List<Map<String, Object>> buffer = new ArrayList<>();
        private String dataset;
        private int seq;

        Chunker(String taskId) {
            this.taskId = taskId;
        }

        void add(String name, Map<String, Object> record) {
            if (dataset != null && !dataset.equals(name) || buffer.size() == RemoteProtocol.RECORDS_PER_MESSAGE) {
                flush();
            }
            dataset = name;
            buffer.add(record);
            counts.merge(name, 1L, Long::sum);
        }

        void flush() {
            if (buffer.isEmpty()) {
                return;
            }
            send(taskId, RemoteResult.records(taskId, system, seq++, dataset, List.copyOf(buffer)));
            buffer.clear();
        }
    }

    private void send(String taskId, RemoteResult result) {
        try {
            producer.send(new ProducerRecord<>(RemoteProtocol.resultsTopic(system), taskId, RemoteProtocol.write(result)))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the task's offset is not committed, so the task is read and answered again
            throw new IllegalStateException("could not publish the answer to task " + taskId, e);
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        if (thread != null) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
