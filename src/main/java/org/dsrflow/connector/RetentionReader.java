package org.dsrflow.connector;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the {@code retention:} block that every connector type writes the same way: why records
 * are kept (one text, or one per language), under which law, and for how long. Each mistake goes
 * to the caller's reader by its path, so it is reported with the rest of the file's.
 */
public final class RetentionReader {
    private static final Pattern PERIOD = Pattern.compile("P(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?");
    private static final List<String> KEYS = List.of("reason", "legal-basis", "period");

    private final FileProblems problems;

    public RetentionReader(FileProblems problems) {
        this.problems = problems;
    }

    public Retention read(JsonNode node, String path) {
        node.fieldNames().forEachRemaining(key -> {
            if (!KEYS.contains(key)) {
                problems.add(path + "." + key, "unknown key; expected one of " + KEYS);
            }
        });
        Retention retention = new Retention(reasons(node.get("reason"), path + ".reason"),
                problems.text(node, "legal-basis", path + ".", true), problems.text(node, "period", path + ".", true));
        if (retention.period() != null && !PERIOD.matcher(retention.period()).matches()) {
            problems.add(path + ".period", "expected an ISO-8601 period such as P10Y or P6M, got '" + retention.period() + "'");
        }
        return retention;
    }

    /** A reason is one text, or one text per language: {@code {en: ..., zh: ...}}. */
    private Map<String, String> reasons(JsonNode node, String path) {
        Map<String, String> reasons = new LinkedHashMap<>();
        if (node != null && node.isTextual() && !node.asText().isBlank()) {
            reasons.put("en", node.asText());
        } else if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (!e.getKey().matches("[a-z]{2}") || !e.getValue().isTextual() || e.getValue().asText().isBlank()) {
                    problems.add(path + "." + e.getKey(), "expected a language code (en, zh) and a text");
                } else {
                    reasons.put(e.getKey(), e.getValue().asText());
                }
            });
        }
        if (reasons.isEmpty()) {
            problems.add(path, "missing; expected a text, or a text per language such as {en: ..., zh: ...}");
            reasons.put("en", "");
        }
        return reasons;
    }
}
