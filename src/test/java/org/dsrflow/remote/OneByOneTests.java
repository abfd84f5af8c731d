package org.dsrflow.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** Reading a batch message by message against a real single-node broker: what is committed, and what is read again. */
class OneByOneTests {
    static EmbeddedKafkaKraftBroker broker;

    @BeforeAll
    static void start() {
        broker = new EmbeddedKafkaKraftBroker(1, 1, "one-by-one-done", "one-by-one-retry", "one-by-one-throw");
        broker.afterPropertiesSet();
    }

    @AfterAll
    static void stop() {
        broker.destroy();
    }

    @Test
    void aWholeBatchHandledIsCommittedUpToItsLastMessage() {
        String topic = "one-by-one-done";
        try (KafkaConsumer<String, String> consumer = subscribed(topic, 5)) {
            ConsumerRecords<String, String> batch = pollAll(consumer, 5);
            List<String> seen = new ArrayList<>();
            assertThat(OneByOne.handle(consumer, batch, m -> {
                seen.add(m.value());
                return OneByOne.Outcome.DONE;
            })).isTrue();
            assertThat(seen).containsExactly("m0", "m1", "m2", "m3", "m4");
            assertThat(committed(consumer, topic)).isEqualTo(5);
        }
    }

    @Test
    void aMessageToRetryCommitsWhatCameBeforeItAndIsReadAgain() {
        String topic = "one-by-one-retry";
        try (KafkaConsumer<String, String> consumer = subscribed(topic, 5)) {
            ConsumerRecords<String, String> batch = pollAll(consumer, 5);
            assertThat(OneByOne.handle(consumer, batch,
                    m -> m.value().equals("m3") ? OneByOne.Outcome.RETRY_LATER : OneByOne.Outcome.DONE)).isFalse();
            assertThat(committed(consumer, topic)).isEqualTo(3);
            // the consumer was set back: the next poll starts at the message that asked to be read again
            ConsumerRecords<String, String> again = pollAll(consumer, 2);
            assertThat(again.records(new TopicPartition(topic, 0))).extracting(r -> r.value()).containsExactly("m3", "m4");
        }
    }

    @Test
    void whatWasHandledBeforeAFailingHandlerIsNotReadAgain() {
        String topic = "one-by-one-throw";
        try (KafkaConsumer<String, String> consumer = subscribed(topic, 4)) {
            ConsumerRecords<String, String> batch = pollAll(consumer, 4);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> OneByOne.handle(consumer, batch,
                    breaksAtM2(() -> new IllegalStateException("handler broke")))).hasMessage("handler broke");
            assertThat(committed(consumer, topic)).isEqualTo(2);
        }
    }

    @Test
    void aHandlersFailureIsNotHiddenByACommitThatFailsAfterIt() {
        String topic = "one-by-one-throw-then-commit-fails";
        try (KafkaConsumer<String, String> consumer = subscribed(topic, 4)) {
            ConsumerRecords<String, String> batch = pollAll(consumer, 4);
            // the wake-up makes the commit that follows the failure throw too
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> OneByOne.handle(consumer, batch, breaksAtM2(() -> {
                consumer.wakeup();
                return new StackOverflowError("handler broke");
            }))).isInstanceOf(StackOverflowError.class).hasMessage("handler broke")
                    .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                            .isInstanceOf(org.apache.kafka.common.errors.WakeupException.class));
        }
    }

    /** A handler that handles every message until m2, where it throws what {@code failure} makes. */
    private static OneByOne.Handler breaksAtM2(java.util.function.Supplier<? extends Throwable> failure) {
        return m -> {
            if (m.value().equals("m2")) {
                Throwable t = failure.get();
                if (t instanceof Error e) {
                    throw e;
                }
                throw (RuntimeException) t;
            }
            return OneByOne.Outcome.DONE;
        };
    }

    /** Puts {@code count} messages m0, m1, ... on the topic and returns a consumer of a group of its own, subscribed to it. */
    private static KafkaConsumer<String, String> subscribed(String topic, int count) {
        produce(topic, count);
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString(), ConsumerConfig.GROUP_ID_CONFIG, "group-" + topic, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static void produce(String topic, int count) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString()), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k", "m" + i));
            }
            producer.flush();
        }
    }

    /** Polls until the batch holds {@code count} messages (a first poll may return fewer while the group forms). */
    private static ConsumerRecords<String, String> pollAll(KafkaConsumer<String, String> consumer, int count) {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < until) {
            ConsumerRecords<String, String> batch = consumer.poll(Duration.ofMillis(500));
            if (batch.count() == count) {
                return batch;
            }
            assertThat(batch.count()).as("a partial batch would make the test's offsets wrong").isZero();
        }
        throw new AssertionError("no batch of " + count + " messages within 30 s");
    }

    private static long committed(KafkaConsumer<String, String> consumer, String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        OffsetAndMetadata offset = consumer.committed(Set.of(partition)).get(partition);
        return offset == null ? 0 : offset.offset();
    }
}
