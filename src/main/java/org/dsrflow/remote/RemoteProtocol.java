package org.dsrflow.remote;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The wire format between dsrflow and remote systems (see docs/remote-protocol.md): names,
 * topics, and strict reading of both message types. Shared by dsrflow and the client library,
 * so both sides refuse the same malformed messages with the same words.
 */
public final class RemoteProtocol {
    public static final String TASK_PROTOCOL = "dsrflow.task/1";
    public static final String RESULT_PROTOCOL = "dsrflow.result/1";
    public static final String EXPORT = "export";
    public static final String ERASE = "erase";
    public static final String VERIFY_ERASED = "verify-erased";
    public static final Set<String> ACTIONS = Set.of(EXPORT, ERASE, VERIFY_ERASED);
    public static final String KIND_RECORDS = "records";
    public static final String KIND_RESULT = "result";
    public static final Set<String> STATUSES = Set.of("done", "not-found", "retained", "failed", "rejected");
    /** Records per {@code records} message: keeps each message far below Kafka's default 1 MB limit for ordinary rows. */
    public static final int RECORDS_PER_MESSAGE = 200;
    /** The highest record message number taken (10 million records at the usual piece size). */
    public static final int MAX_CHUNKS = 50_000;

    /** Control characters and line separators, which no name or reason of the protocol may carry. */
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\u2028\\u2029]");
    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private RemoteProtocol() {
    }

    public static String tasksTopic(String system) {
        return "dsrflow.tasks." + system;
    }

    public static String resultsTopic(String system) {
        return "dsrflow.results." + system;
    }

    /** A message that cannot be acted on; {@code taskId} is set when the message named one, so it can be answered. */
    public static final class MalformedMessage extends Exception {
        private final String taskId;

        MalformedMessage(String taskId, String message) {
            super(message);
            this.taskId = taskId;
        }

        public String taskId() {
            return taskId;
        }
    }

    public static RemoteTask readTask(String json) throws MalformedMessage {
        if (json == null) {
            throw new MalformedMessage(null, "empty task");
        }
        RemoteTask task;
        try {
            task = JSON.readValue(json, RemoteTask.class);
        } catch (JsonProcessingException e) {
            throw new MalformedMessage(null, "not a JSON task: " + shown(e.getOriginalMessage(), 200));
        }
        if (task == null) {
            throw new MalformedMessage(null, "empty task");
        }
        List<String> problems = new ArrayList<>();
        if (!TASK_PROTOCOL.equals(task.protocol())) {
            problems.add("protocol: expected " + TASK_PROTOCOL + ", got " + shown(task.protocol(), 40));
        }
        if (blank(task.taskId())) {
            problems.add("taskId: missing");
        }
        if (blank(task.caseId())) {
            problems.add("caseId: missing");
        }
        if (task.action() == null || !ACTIONS.contains(task.action())) {
            problems.add("action: expected one of " + ACTIONS + ", got " + shown(task.action(), 40));
        }
        Map<String, String> subject = task.subject();
        if (subject == null || blank(subject.get("email")) || !subject.get("email").contains("@")) {
            problems.add("subject.email: missing or not an address");
        }
        if (!blank(task.deadline())) {
            try {
                Instant.parse(task.deadline());
            } catch (DateTimeParseException e) {
                problems.add("deadline: expected an ISO-8601 instant");
            }
        }
        if (!problems.isEmpty()) {
            throw new MalformedMessage(blank(task.taskId()) ? null : task.taskId(), String.join("; ", problems));
        }
        return task;
    }

    public static RemoteResult readResult(String json) throws MalformedMessage {
        if (json == null) {
            throw new MalformedMessage(null, "empty result");
        }
        RemoteResult result;
        try {
            result = JSON.readValue(json, RemoteResult.class);
        } catch (JsonProcessingException e) {
            throw new MalformedMessage(null, "not a JSON result: " + shown(e.getOriginalMessage(), 200));
        }
        if (result == null || blank(result.taskId())) {
            throw new MalformedMessage(null, "result without taskId");
        }
        if (result.taskId().length() > 120 || !printable(result.taskId())) {
            throw new MalformedMessage(null, "taskId: longer than 120 characters, or with control characters");
        }
        if (!RESULT_PROTOCOL.equals(result.protocol())) {
            throw new MalformedMessage(result.taskId(), "protocol: expected " + RESULT_PROTOCOL + ", got " + shown(result.protocol(), 40));
        }
        if (blank(result.system()) || !printable(result.system())) {
            throw new MalformedMessage(result.taskId(), "system: missing, or with control characters");
        }
        if (result.remaining() != null && result.remaining().values().stream().anyMatch(n -> n == null || n < 0)) {
            throw new MalformedMessage(result.taskId(), "remaining: every count must be a number from 0");
        }
        if (result.datasets() != null && result.datasets().stream().anyMatch(d -> d == null || blank(d.name()) || d.name().length() > 200)) {
            throw new MalformedMessage(result.taskId(), "datasets: every entry needs a name of at most 200 characters");
        }
        if (KIND_RECORDS.equals(result.kind())) {
            if (result.seq() == null || result.seq() < 0 || result.seq() > MAX_CHUNKS || blank(result.dataset())
                    || result.dataset().length() > 200 || result.records() == null || result.records().contains(null)) {
                throw new MalformedMessage(result.taskId(), "records: needs seq from 0 to " + MAX_CHUNKS + ", a dataset name and records");
            }
        } else if (KIND_RESULT.equals(result.kind())) {
            if (result.status() == null || !STATUSES.contains(result.status())) {
                throw new MalformedMessage(result.taskId(), "status: expected one of " + STATUSES + ", got " + shown(result.status(), 40));
            }
            if (result.chunks() == null || result.chunks() < 0 || result.chunks() > MAX_CHUNKS + 1) {
                throw new MalformedMessage(result.taskId(), "chunks: expected the number of records messages sent");
            }
        } else {
            throw new MalformedMessage(result.taskId(), "kind: expected records or result, got " + shown(result.kind(), 40));
        }
        return result;
    }

    public static String write(Object message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("message cannot be written as JSON", e);
        }
    }

    /**
     * A value of a refused message as the refusal repeats it: clipped, with control characters as
     * {@code ?}, so that the reason logged or sent back never carries a line break of the sender's.
     */
    private static String shown(String value, int max) {
        if (value == null) {
            return "nothing";
        }
        String clipped = value.length() > max ? value.substring(0, max) + "..." : value;
        return CONTROL.matcher(clipped).replaceAll("?");
    }

    private static boolean printable(String s) {
        return !CONTROL.matcher(s).find();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
