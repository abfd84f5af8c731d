package org.dsrflow.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.dsrflow.fuzz.Fuzz;
import org.dsrflow.fuzz.Hostile;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The messages of the remote protocol as they arrive over Kafka: answers from remote systems
 * ({@link RemoteProtocol#readResult}, read by dsrflow's results reader) and tasks
 * ({@link RemoteProtocol#readTask}, read by the client library a remote system runs).
 * Either the message is taken whole, or it is refused as malformed with the reason.
 */
class RemoteProtocolFuzzTests {

    @Test
    void anyAnswerFromARemoteSystemIsAResultOrMalformed() {
        Fuzz.check(messages(validResults()), message -> Fuzz.expect(() -> RemoteProtocol.readResult(message), result -> {
            assertThat(result.taskId()).isNotBlank().hasSizeLessThanOrEqualTo(120);
            assertThat(result.protocol()).isEqualTo(RemoteProtocol.RESULT_PROTOCOL);
            assertThat(result.system()).isNotBlank();
            Fuzz.echoable(result.taskId());
            Fuzz.echoable(result.system());
            if (result.isFinal()) {
                assertThat(result.status()).isIn(RemoteProtocol.STATUSES);
                assertThat(result.chunks()).isBetween(0, RemoteProtocol.MAX_CHUNKS + 1);
            } else {
                assertThat(result.kind()).isEqualTo(RemoteProtocol.KIND_RECORDS);
                assertThat(result.seq()).isBetween(0, RemoteProtocol.MAX_CHUNKS);
                assertThat(result.dataset()).isNotBlank();
                assertThat(result.records()).doesNotContainNull();
            }
            if (result.datasets() != null) {
                result.datasets().forEach(d -> assertThat(d.name()).isNotBlank());
            }
            if (result.remaining() != null) {
                result.remaining().values().forEach(n -> assertThat(n).isNotNull().isNotNegative());
            }
        }, RemoteProtocol.MalformedMessage.class));
    }

    @Test
    void anyTaskForARemoteSystemIsATaskOrMalformed() {
        Fuzz.check(messages(validTasks()), message -> Fuzz.expect(() -> RemoteProtocol.readTask(message), task -> {
            assertThat(task.protocol()).isEqualTo(RemoteProtocol.TASK_PROTOCOL);
            assertThat(task.taskId()).isNotBlank();
            assertThat(task.caseId()).isNotBlank();
            assertThat(task.action()).isIn(RemoteProtocol.ACTIONS);
            assertThat(task.subject().get("email")).contains("@");
        }, RemoteProtocol.MalformedMessage.class));
    }

    /** A Kafka record's value: near a valid message, any text, or none at all (a tombstone). */
    static Gen<String> messages(List<JsonNode> valid) {
        return Generate.frequency(List.of(
                Pair.of(12, Hostile.jsonNear(valid)),
                Pair.of(3, Hostile.text()),
                Pair.of(1, Generate.constant((String) null))));
    }

    static List<JsonNode> validResults() {
        Map<String, Object> row = Map.of("email", "ann@example.com", "device", "ios-1", "count", 3);
        return List.of(
                tree(RemoteResult.records("t-1", "notifications", 0, "subscriptions", List.of(row, Map.of()))),
                tree(RemoteResult.result("t-1", "notifications", "done", 1,
                        List.of(new RemoteResult.DatasetResult("subscriptions", "Devices", 2L, "deleted", 2L, null),
                                new RemoteResult.DatasetResult("consents", "Consent", 1L, "retained", 1L,
                                        new RemoteResult.RetentionInfo("Proof of consent", "GDPR Art. 7(1)", "P3Y"))),
                        Map.of("subscriptions", 0L), null)),
                tree(RemoteResult.result("sync-42", "crm", "failed", 0, null, null, new RemoteResult.ErrorInfo("database down", true))),
                tree(RemoteResult.result("t-2", "crm", "not-found", 0, List.of(), Map.of(), null)));
    }

    static List<JsonNode> validTasks() {
        return List.of(
                tree(new RemoteTask(RemoteProtocol.TASK_PROTOCOL, "t-1", "01JABCDEFGHJKMNPQRSTVWXYZ0", "notifications", "export",
                        Map.of("email", "ann@example.com"), "2026-03-01T00:00:00Z", "2026-02-01T10:00:00Z")),
                tree(new RemoteTask(RemoteProtocol.TASK_PROTOCOL, "t-2", "c-2", "crm", "verify-erased",
                        Map.of("email", "wang.fang@example.cn", "account", "1009"), null, null)));
    }

    private static JsonNode tree(Object message) {
        return Hostile.json(RemoteProtocol.write(message));
    }
}
