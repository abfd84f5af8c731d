package org.dsrflow.connector;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import org.dsrflow.Printable;

/**
 * The mistakes found in one connector file, each as {@code <file>: <path>: <what was expected>},
 * collected so a reader reports them all at once rather than the first alone; and the small reads
 * every connector type's reader makes, each reporting its own mistake.
 */
public final class FileProblems {
    private final String file;
    private final List<String> problems = new ArrayList<>();

    public FileProblems(String file) {
        this.file = file;
    }

    /**
     * {@code path} inside the file, e.g. {@code tables[2].columns.email.erase}; empty for the file as
     * a whole. Both are clipped and freed of control characters: they repeat keys and values of the file.
     */
    public void add(String path, String expected) {
        problems.add(file + ": " + (path.isEmpty() ? "" : Printable.clip(path, 120) + ": ") + Printable.clip(expected, 300));
    }

    /** The problems found so far. */
    public List<String> list() {
        return List.copyOf(problems);
    }

    /** A single text value at {@code at + field}; null (and, if required, a problem) when it is absent or blank. */
    public String text(JsonNode node, String field, String at, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || v.isValueNode() && v.asText().isBlank()) {
            if (required) {
                add(at + field, "missing");
            }
            return null;
        }
        if (!v.isValueNode()) {
            add(at + field, "expected a single value");
            return null;
        }
        return v.asText();
    }

    /** A whole number from min to max at {@code at + field}, or the fallback when it is absent. */
    public int number(JsonNode node, String field, String at, int fallback, int min, int max) {
        JsonNode v = node.get(field);
        if (v == null) {
            return fallback;
        }
        if (!v.isInt() || v.asInt() < min || v.asInt() > max) {
            add(at + field, "expected a whole number from " + min + " to " + max + ", got '" + v.asText() + "'");
            return fallback;
        }
        return v.asInt();
    }

    /** Whether the node is a map (a YAML mapping), reporting what was expected if it is not. */
    public boolean map(JsonNode node, String path, String expected) {
        if (node == null || !node.isObject()) {
            add(path, node == null ? "missing; expected " + expected : "expected " + expected);
            return false;
        }
        return true;
    }

    /** Refuses keys the format does not know, so a misspelt option never falls back to its default unseen. */
    public void onlyKeys(JsonNode node, String at, String... known) {
        List<String> allowed = List.of(known);
        node.fieldNames().forEachRemaining(key -> {
            if (!allowed.contains(key)) {
                add(at + key, "unknown key; expected one of " + allowed);
            }
        });
    }

    /** A text turned into a value by {@code parse}, which answers null, or throws, for a text it cannot take. */
    public <T> T parsed(JsonNode node, String field, String at, boolean required, Function<String, T> parse, String expected) {
        String text = text(node, field, at, required);
        if (text == null) {
            return null;
        }
        try {
            T value = parse.apply(text);
            if (value != null) {
                return value;
            }
        } catch (RuntimeException e) {
            // reported below, with the text as given
        }
        add(at + field, expected + ", got '" + text + "'");
        return null;
    }

    /** The {@code type} of a block that comes in several kinds; null, with the problem reported, when it is none of them. */
    public String kind(JsonNode node, String path, List<String> kinds) {
        if (!map(node, path, "{type: " + String.join(" | ", kinds) + ", ...}")) {
            return null;
        }
        String type = text(node, "type", path + ".", true);
        if (type != null && !kinds.contains(type)) {
            add(path + ".type", "expected one of " + kinds + ", got '" + type + "'");
            return null;
        }
        return type;
    }

    /** Stops here, listing every problem, if there is any. */
    public void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new ConnectorConfigException(problems);
        }
    }
}
