package org.dsrflow.connector.kafka;

import org.dsrflow.connector.AnswerRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.dsrflow.connector.DeferredAnswer;
import org.dsrflow.remote.OneByOne;
import org.dsrflow.remote.RemoteProtocol;
import org.dsrflow.remote.RemoteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every remote system's results topic. Record pieces are stored as they come; a closing
 * result becomes a {@link DeferredAnswer} for whoever waits for it — a synchronous call in this
 * JVM, or fulfilment, which records it on the case's task. An offset is committed only after its
 * message was handled, so a crash means the message is read again; every step is idempotent.
 */
public final class RemoteAnswers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RemoteAnswers.class);

    private final String brokers;
    private final AnswerRecords chunks;
    private final Supplier<DeferredAnswer.Listener> listener;
    private final Map<String, KafkaRemoteConnector> systems = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<DeferredAnswer>> waiting = new ConcurrentHashMap<>();
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean running;
    private Thread thread;

    public RemoteAnswers(String brokers, javax.sql.DataSource caseStore, Supplier<DeferredAnswer.Listener> listener) {
        this.brokers = brokers;
        this.chunks = new AnswerRecords(caseStore);
        this.listener = listener;
    }

    void register(KafkaRemoteConnector connector) {
        systems.put(connector.system(), connector);
    }

    AnswerRecords chunks() {
        return chunks;
    }

    String brokers() {
        return brokers;
    }

    /** Creates the topics that are missing (a broker with auto-creation off, a first start) and starts reading results. */
    public synchronized void start() {
        if (running || systems.isEmpty()) {
            return;
        }
        createTopics();
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "dsrflow-remote-results");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(systems.keySet().stream().map(RemoteProtocol::resultsTopic).toList());
        running = true;
        thread = new Thread(this::loop, "dsrflow-remote-answers");
        thread.setDaemon(true);
        thread.start();
    }

    private void createTopics() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        try (Admin admin = Admin.create(p)) {
            List<NewTopic> topics = new ArrayList<>();
            for (String system : systems.keySet()) {
                topics.add(new NewTopic(RemoteProtocol.tasksTopic(system), 3, (short) -1));
                topics.add(new NewTopic(RemoteProtocol.resultsTopic(system), 3, (short) -1));
            }
            admin.createTopics(topics).values().forEach((topic, done) -> {
                try {
                    done.get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        log.warn("Could not create topic {}: {} (the system's check will say whether it exists)", topic, e.getMessage());
                    }
                }
            });
        }
    }

    private void loop() {
        try {
            while (running) {
                try {
                    if (!handleBatch(consumer.poll(Duration.ofMillis(500)))) {
                        Thread.sleep(2000);
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (org.apache.kafka.common.KafkaException e) {
                    // a rebalance or a failed commit: the uncommitted answers are read again, which is harmless
                    log.warn("Reading answers paused: {}", org.dsrflow.LogSafe.redact(String.valueOf(e.getMessage())));
                    Thread.sleep(1000);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Handles a batch; an answer that cannot be recorded yet (the case store is down, say) is read again. */
    private boolean handleBatch(org.apache.kafka.clients.consumer.ConsumerRecords<String, String> batch) {
        return OneByOne.handle(consumer, batch, record -> {
            try {
                handle(record.value());
            } catch (org.springframework.dao.DataAccessException | java.io.UncheckedIOException
                     | org.springframework.transaction.TransactionException e) {
                log.warn("An answer from {} could not be recorded yet: {}", record.topic(),
                        org.dsrflow.LogSafe.redact(String.valueOf(e.getMessage())));
                return OneByOne.Outcome.RETRY_LATER;
            } catch (RuntimeException e) {
                // it would fail the same way every time: set it aside rather than block the partition
                log.error("An answer from {} at offset {} was set aside: {}", record.topic(), record.offset(),
                        org.dsrflow.LogSafe.redact(String.valueOf(e)));
            }
            return OneByOne.Outcome.DONE;
        });
    }

    void handle(String message) {
        RemoteResult result;
        try {
            result = RemoteProtocol.readResult(message);
        } catch (RemoteProtocol.MalformedMessage e) {
            // nothing can be done with it: dsrflow sends the task again when no valid answer comes in time
            log.warn("Ignored a malformed answer{}: {}", e.taskId() == null ? "" : " to task " + e.taskId(),
                    org.dsrflow.LogSafe.redact(e.getMessage()));
            return;
        }
        KafkaRemoteConnector connector = systems.get(result.system());
        if (connector == null) {
            log.warn("Ignored an answer from unknown system '{}'", result.system());
            return;
        }
        if (!result.isFinal()) {
            if (!connector.declares(result.dataset())) {
                // dataset names become file names in the person's package: only the file's own are taken
                log.warn("Ignored records of undeclared dataset from {} for task {}", result.system(), result.taskId());
                return;
            }
            chunks.save(result.taskId(), result.seq(), result.dataset(), result.records());
            return;
        }
        DeferredAnswer answer = connector.toAnswer(result);
        CompletableFuture<DeferredAnswer> waiter = waiting.remove(result.taskId());
        if (waiter != null) {
            waiter.complete(answer);
            return;
        }
        DeferredAnswer.Listener target = listener.get();
        if (target == null || !target.answered(answer)) {
            log.info("An answer from {} for task {} matched no waiting task (a late copy, or already recorded)", result.system(),
                    result.taskId());
        }
        chunks.delete(result.taskId());
    }

    /** Registers interest in a task's answer before the task is sent. */
    CompletableFuture<DeferredAnswer> expect(String taskId) {
        return waiting.computeIfAbsent(taskId, id -> new CompletableFuture<>());
    }

    void forget(String taskId) {
        waiting.remove(taskId);
    }

    boolean isRunning() {
        return running && thread != null && thread.isAlive();
    }

    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
