package org.dsrflow.remote;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How both sides of the protocol read a batch: message by message in each partition, and the
 * offsets of the messages handled committed together once the batch is through (one round trip
 * to the broker per batch, not per message). A message that cannot be handled yet commits what
 * was handled before it and sets back its own partition and every partition not yet reached, so
 * nothing in the batch is skipped and read past. A crash in the middle of a batch reads its handled
 * messages again: both sides treat a second copy of a message as the first (docs/remote-protocol.md).
 */
public final class OneByOne {

    /** Whether a message is finished with (handled, or set aside for good) or must be read again later. */
    public enum Outcome { DONE, RETRY_LATER }

    @FunctionalInterface
    public interface Handler {
        Outcome handle(ConsumerRecord<String, String> message);
    }

    private OneByOne() {
    }

    /** Returns false when a message asked to be read again; the caller should pause before polling. */
    public static boolean handle(Consumer<String, String> consumer, ConsumerRecords<String, String> batch, Handler handler) {
        List<TopicPartition> partitions = new ArrayList<>(batch.partitions());
        Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
        Throwable failed = null;
        try {
            for (int i = 0; i < partitions.size(); i++) {
                TopicPartition partition = partitions.get(i);
                for (ConsumerRecord<String, String> message : batch.records(partition)) {
                    if (handler.handle(message) == Outcome.RETRY_LATER) {
                        consumer.seek(partition, message.offset());
                        for (TopicPartition later : partitions.subList(i + 1, partitions.size())) {
                            consumer.seek(later, batch.records(later).get(0).offset());
                        }
                        return false;
                    }
                    handled.put(partition, new OffsetAndMetadata(message.offset() + 1));
                }
            }
            return true;
        } catch (RuntimeException | Error e) {
            failed = e;
            throw e;
        } finally {
            // also when a handler throws: what was handled before it is not read again
            if (!handled.isEmpty()) {
                try {
                    consumer.commitSync(handled);
                } catch (RuntimeException commitFailed) {
                    if (failed == null) {
                        throw commitFailed;
                    }
                    // the handler's failure is the one to see; the commit's rides along with it
                    failed.addSuppressed(commitFailed);
                }
            }
        }
    }
}
