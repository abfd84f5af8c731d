package org.dsrflow.remote.conformance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.dsrflow.remote.RemoteProtocol;
import org.dsrflow.remote.RemoteResult;
import org.dsrflow.remote.RemoteTask;

/**
 * Plays dsrflow against a team's own service and checks that it answers as the protocol requires:
 * export, erase, erase again (nothing left to change), verify-erased, a stranger, and malformed
 * tasks. Run it against a test copy of the service: it really erases the person it is given.
 *
 * <pre>
 * java -cp dsrflow-remote-client.jar:kafka-clients.jar:jackson-*.jar \
 *   org.dsrflow.remote.conformance.ConformanceKit &lt;bootstrap&gt; &lt;system&gt; &lt;email of a test person with records&gt;
 * </pre>
 *
 * Exit status 0 when every check passes.
 */
public final class ConformanceKit implements AutoCloseable {

    /** One check's verdict. */
    public record Check(String name, boolean passed, String detail) {
        @Override
        public String toString() {
            return (passed ? "PASS " : "FAIL ") + name + (detail.isEmpty() ? "" : " — " + detail);
        }
    }

    /** All verdicts; passed when every check did. */
    public record Report(String system, List<Check> checks) {
        public boolean passed() {
            return !checks.isEmpty() && checks.stream().allMatch(Check::passed);
        }
    }

    /** The records and final result the service sent for one task. */
    record Answer(List<RemoteResult> records, RemoteResult result) {
        long recordCount() {
            return records.stream().mapToLong(r -> r.records().size()).sum();
        }
    }

    private final String system;
    private final Duration answerWithin;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    /** Answers whose message key was not their task id (dsrflow relies on the key to keep a task's messages in order). */
    private final List<String> unkeyed = new ArrayList<>();

    public ConformanceKit(String bootstrapServers, String system, Duration answerWithin) {
        this.system = system;
        this.answerWithin = answerWithin;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(RemoteProtocol.resultsTopic(system), Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // settle the positions before any task is sent
    }

    /** Runs every check for {@code subjectEmail}, a test person the service holds records of. */
    public Report run(String subjectEmail) {
        List<Check> checks = new ArrayList<>();
        String stranger = "conformance-" + UUID.randomUUID() + "@example.invalid";

        Answer export = ask(RemoteProtocol.EXPORT, subjectEmail);
        checks.add(check("export answers done with the person's records",
                export != null && "done".equals(export.result().status()) && export.recordCount() > 0,
                describe(export)));
        checks.add(check("export says how many record messages it sent, numbered from 0",
                export != null && export.result().chunks() == export.records().size() && numbered(export.records()), describe(export)));

        Answer unknown = ask(RemoteProtocol.EXPORT, stranger);
        checks.add(check("export for someone unknown answers not-found with no records",
                unknown != null && "not-found".equals(unknown.result().status()) && unknown.recordCount() == 0, describe(unknown)));

        Answer before = ask(RemoteProtocol.VERIFY_ERASED, subjectEmail);
        checks.add(check("verify-erased before erasure finds the person",
                before != null && "done".equals(before.result().status()) && total(before.result().remaining()) > 0, describe(before)));

        Answer erase = ask(RemoteProtocol.ERASE, subjectEmail);
        checks.add(check("erase answers done or retained, per dataset, with nothing findable afterwards",
                erase != null && List.of("done", "retained").contains(erase.result().status()) && erase.result().datasets() != null
                        && !erase.result().datasets().isEmpty() && erase.result().remaining() != null
                        && total(erase.result().remaining()) == 0, describe(erase)));
        checks.add(check("retained rows name their reason, legal basis and period", erase != null && retentionsComplete(erase.result()),
                describe(erase)));

        Answer again = ask(RemoteProtocol.ERASE, subjectEmail);
        checks.add(check("erasing again changes nothing", again != null && again.result().datasets() != null
                && again.result().datasets().stream().filter(d -> !"retained".equals(d.outcome()))
                .mapToLong(d -> d.rows() == null ? 0 : d.rows()).sum() == 0
                && !"failed".equals(again.result().status()), describe(again)));

        Answer after = ask(RemoteProtocol.VERIFY_ERASED, subjectEmail);
        checks.add(check("verify-erased after erasure finds nothing",
                after != null && "done".equals(after.result().status()) && after.result().remaining() != null
                        && total(after.result().remaining()) == 0, describe(after)));

        Answer exportAfter = ask(RemoteProtocol.EXPORT, subjectEmail);
        checks.add(check("export after erasure holds no trace of the address", exportAfter != null
                && !exportAfter.records().toString().toLowerCase().contains(subjectEmail.toLowerCase()), describe(exportAfter)));

        for (Map.Entry<String, String> malformed : malformedTasks().entrySet()) {
            String taskId = "conformance-malformed-" + UUID.randomUUID();
            Answer rejected = send(taskId, malformed.getValue().replace("TASK_ID", taskId));
            checks.add(check("a task with " + malformed.getKey() + " is rejected, not done",
                    rejected != null && "rejected".equals(rejected.result().status()) && rejected.result().error() != null
                            && !rejected.result().error().retriable(), describe(rejected)));
        }
        checks.add(check("every answer message is keyed by its task id", unkeyed.isEmpty(),
                unkeyed.size() + " tasks answered with another key, e.g. " + (unkeyed.isEmpty() ? "" : unkeyed.get(0))));
        return new Report(system, checks);
    }

    private Map<String, String> malformedTasks() {
        Map<String, String> tasks = new LinkedHashMap<>();
        tasks.put("an unknown action", "{\"protocol\":\"dsrflow.task/1\",\"taskId\":\"TASK_ID\",\"caseId\":\"c1\",\"system\":\"" + system
                + "\",\"action\":\"drop-everything\",\"subject\":{\"email\":\"a@example.invalid\"}}");
        tasks.put("no subject", "{\"protocol\":\"dsrflow.task/1\",\"taskId\":\"TASK_ID\",\"caseId\":\"c1\",\"system\":\"" + system
                + "\",\"action\":\"erase\"}");
        tasks.put("a protocol version it does not know", "{\"protocol\":\"dsrflow.task/99\",\"taskId\":\"TASK_ID\",\"caseId\":\"c1\","
                + "\"system\":\"" + system + "\",\"action\":\"export\",\"subject\":{\"email\":\"a@example.invalid\"}}");
        return tasks;
    }

    private Answer ask(String action, String email) {
        String taskId = "conformance-" + action + "-" + UUID.randomUUID();
        RemoteTask task = new RemoteTask(RemoteProtocol.TASK_PROTOCOL, taskId, "conformance", system, action, Map.of("email", email),
                Instant.now().plus(Duration.ofDays(15)).toString(), Instant.now().toString());
        return send(taskId, RemoteProtocol.write(task));
    }

    private Answer send(String taskId, String message) {
        try {
            producer.send(new ProducerRecord<>(RemoteProtocol.tasksTopic(system), taskId, message)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish a task to " + RemoteProtocol.tasksTopic(system), e);
        }
        List<RemoteResult> records = new ArrayList<>();
        long until = System.nanoTime() + answerWithin.toNanos();
        while (System.nanoTime() < until) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                try {
                    RemoteResult result = RemoteProtocol.readResult(r.value());
                    if (!taskId.equals(result.taskId())) {
                        continue;
                    }
                    if (!taskId.equals(r.key())) {
                        unkeyed.add(taskId);
                    }
                    if (result.isFinal()) {
                        return new Answer(records, result);
                    }
                    records.add(result);
                } catch (RemoteProtocol.MalformedMessage e) {
                    if (taskId.equals(e.taskId())) {
                        return new Answer(records, RemoteResult.result(taskId, system, "malformed answer: " + e.getMessage(), 0,
                                List.of(), null, null));
                    }
                }
            }
        }
        return null;
    }

    private static boolean numbered(List<RemoteResult> records) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).seq() != i) {
                return false;
            }
        }
        return true;
    }

    private static boolean retentionsComplete(RemoteResult result) {
        return result.datasets() != null && result.datasets().stream().filter(d -> "retained".equals(d.outcome()) && d.rows() != null
                && d.rows() > 0).allMatch(d -> d.retention() != null && d.retention().reason() != null
                && d.retention().legalBasis() != null && d.retention().period() != null);
    }

    private static long total(Map<String, Long> remaining) {
        return remaining == null ? -1 : remaining.values().stream().mapToLong(Long::longValue).sum();
    }

    private String describe(Answer answer) {
        if (answer == null) {
            return "no answer within " + answerWithin.toSeconds() + " s";
        }
        RemoteResult r = answer.result();
        return "status " + r.status() + ", " + answer.recordCount() + " records in " + answer.records().size() + " messages"
                + (r.remaining() == null ? "" : ", remaining " + r.remaining())
                + (r.error() == null ? "" : ", error: " + r.error().message());
    }

    private static Check check(String name, boolean passed, String detail) {
        return new Check(name, passed, passed ? "" : detail);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        consumer.close();
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: ConformanceKit <bootstrap-servers> <system> <email of a test person with records>");
            System.exit(2);
        }
        try (ConformanceKit kit = new ConformanceKit(args[0], args[1], Duration.ofSeconds(60))) {
            Report report = kit.run(args[2]);
            report.checks().forEach(System.out::println);
            System.out.println(report.passed() ? "conformant" : "NOT conformant");
            System.exit(report.passed() ? 0 : 1);
        }
    }
}
