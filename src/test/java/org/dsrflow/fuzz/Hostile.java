package org.dsrflow.fuzz;

import static org.quicktheories.generators.SourceDSL.strings;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.generators.Generate;
import org.quicktheories.impl.Constraint;

/**
 * Generators of hostile input shared by the fuzz properties: arbitrary text and bytes, known attack
 * strings, and documents that start valid and are then broken in place (a field removed, retyped,
 * nested deeply, the text cut or spliced). Every choice is drawn from QuickTheories' source, so a
 * failing input shrinks towards the valid document it came from.
 */
public final class Hostile {
    /** Strings that have broken parsers and validators elsewhere, or that must never pass through one unchanged. */
    public static final List<String> ATTACKS = List.of(
            "", " ", "\t", "null", "NULL", "true", "0", "-1", "1e309", "NaN", "-0", "9".repeat(400),
            "' OR '1'='1", "'; drop table dsr_case;--", "\"; DROP TABLE audit_log; --", "1; SELECT pg_sleep(10)",
            "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)", "</textarea><svg onload=alert(1)>",
            "${jndi:ldap://127.0.0.1/a}", "${DSRFLOW_SECRET}", "#{7*7}", "{{7*7}}", "%s%s%s%n", "%00", "%0d%0aBcc: x@example.com",
            "../../../../etc/passwd", "..\\..\\windows\\win.ini", "file:///etc/passwd", "C:\\", "\\\\server\\share",
            "ann@example.com\r\nBcc: victim@example.com", "x\nX-Injected: 1", "\r\n\r\n", "\u0000", "a\u0000b", "\u001b[31mred\u001b[0m",
            "\u007f", "\u0085", "\u2028", "\u202eevil", "\ufeff", "\ud800", "\udfff", "\ud83d\ude00", "申请删除我的个人数据", "請刪除我的資料",
            "Ω≈ç√∫", "ＡＣＣＥＳＳ", "ACCESS", "DELETION", "access", "deletion", "UNDECIDED", "en", "zh", "EN", "fr",
            "ann@example.com", "ANN@EXAMPLE.COM", " ann@example.com ", "a@b", "@example.com", "ann@", "ann@@example.com",
            "ann..lee@example.com", "\"ann lee\"@example.com", "ann@[127.0.0.1]", "ann@例子.测试", "=?UTF-8?B?YWJj?=",
            "=?UTF-8?Q?a=0D=0AX-Injected:_1?=", "\\u0000", "{}", "[]", "{\"a\":", "[[[[", "]]]]", "\"", "\\", "'", "`", "*", "?", "&", "#",
            "P1Y", "PT1H", "-PT1H", "PT0S", "P9999999999999999999D", "2026-02-30T25:61:00Z", "sha256=", "Bearer ", "a.b.c", "...");
    /** Characters a text must not smuggle through: line breaks, NUL, escape, delete, C1 controls. */
    public static final List<String> CONTROLS = List.of("\u0000", "\r", "\n", "\r\n", "\t", "\u000b", "\f", "\u001b", "\u007f", "\u0085",
            "\u2028");
    private static final List<String> UNITS = List.of("a", "9", "é", "中", "\ud83d\ude00", "<", "\"", "\\", " ", "\r\n", "%", "=", "@");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Hostile() {
    }

    /** A draw from 0 to max, both included; shrinks towards 0. */
    public static int draw(RandomnessSource in, int max) {
        return (int) in.next(Constraint.between(0, max));
    }

    /** One of the values, the first the one shrinking goes to. */
    public static <T> T pick(RandomnessSource in, List<T> values) {
        return values.get(draw(in, values.size() - 1));
    }

    /** Any text: random code points, ASCII, the attack strings, splices of them with control characters, and long runs. */
    public static Gen<String> text() {
        return shortText().mix(Generate.pick(UNITS).zip(Generate.range(1_000, 70_000), String::repeat), 8);
    }

    /** Any text of at most a few hundred characters. */
    public static Gen<String> shortText() {
        return Generate.frequency(List.of(
                Pair.of(4, Generate.pick(ATTACKS)),
                Pair.of(3, strings().allPossible().ofLengthBetween(0, 40)),
                Pair.of(2, strings().ascii().ofLengthBetween(0, 40)),
                Pair.of(2, Generate.pick(ATTACKS).zip(Generate.pick(CONTROLS), Generate.pick(ATTACKS), (a, c, b) -> a + c + b))));
    }

    /** Any bytes, up to a few kilobytes. */
    public static Gen<byte[]> bytes() {
        return Generate.byteArrays(Generate.range(0, 3_000), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
    }

    /** Text of a JSON document near one of {@code valid}: mostly parseable, with fields dropped, retyped or hostile. */
    public static Gen<String> jsonNear(List<? extends JsonNode> valid) {
        return in -> spliced(in, write(JSON, mutated(in, valid, 900)), 6_000);
    }

    /**
     * Text of a YAML document near one of {@code valid}, with YAML's own traps (aliases, tags,
     * placeholders) spliced in. A third are written in JSON, which YAML reads as well (and which is
     * much quicker to write).
     */
    public static Gen<String> yamlNear(List<? extends JsonNode> valid) {
        return in -> {
            JsonNode doc = mutated(in, valid, 60);
            String text = write(draw(in, 2) == 0 ? JSON : YAML, doc);
            return switch (draw(in, 5)) {
                case 0, 1 -> text;
                case 2 -> insertLine(in, text, pick(in, YAML_TRAPS));
                case 3 -> text.replace(": ", pick(in, List.of(":\t", ": &x ", ": !!binary ", ": ${UNSET_VARIABLE} ", ": ${a:${b:${c}}} ")));
                default -> spliced(in, text, 300);
            };
        };
    }

    private static final List<String> YAML_TRAPS = List.of(
            "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                    + "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]",
            "x: !!java.io.File [/etc/passwd]", "x: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1/\"]]]]",
            "<<: *undefined", "? [complex, key]\n: value", "---", "...", "%YAML 1.1", "\t- tab", "system: other", "type: jdbc", "type: http",
            "x: ${DSRFLOW_SECRET}", "x: ${", "x: }", "x: \"unclosed", "x: 'unclosed", "x: |\n  block\n    text", "x: >-", "[", "{", "- - - -",
            "x: " + "[".repeat(200), "x: 0x7FFFFFFFFFFFFFFFFFFF", "x: .nan", "x: ~", "&anchor", "*alias", "x: !<tag:yaml.org,2002:str> y");

    private static JsonNode mutated(RandomnessSource in, List<? extends JsonNode> valid, int maxDepth) {
        JsonNode doc = pick(in, valid).deepCopy();
        int changes = draw(in, 4);
        for (int i = 0; i < changes; i++) {
            List<JsonNode> containers = new ArrayList<>();
            collect(doc, containers, 0);
            JsonNode target = pick(in, containers);
            if (target instanceof ObjectNode object) {
                List<String> names = new ArrayList<>();
                object.fieldNames().forEachRemaining(names::add);
                boolean existing = !names.isEmpty() && draw(in, 3) > 0;
                String name = existing ? pick(in, names) : text().generate(in);
                if (existing && draw(in, 4) == 0) {
                    object.remove(name);
                } else {
                    object.set(name, value(in, maxDepth));
                }
            } else if (target instanceof ArrayNode array) {
                int at = draw(in, array.size());
                if (at < array.size() && draw(in, 2) == 0) {
                    array.remove(at);
                } else {
                    array.insert(at, value(in, maxDepth));
                }
            }
        }
        return doc;
    }

    /** The objects and lists of a document, down to a depth that keeps a deeply nested value from nesting again. */
    private static void collect(JsonNode node, List<JsonNode> containers, int depth) {
        if (node.isContainerNode() && depth < 8) {
            containers.add(node);
            node.elements().forEachRemaining(child -> collect(child, containers, depth + 1));
        }
    }

    /** A value of any JSON type, hostile where it can be. */
    private static JsonNode value(RandomnessSource in, int maxDepth) {
        return switch (draw(in, 11)) {
            case 0, 1, 2 -> NODES.textNode(text().generate(in));
            case 3 -> NODES.numberNode(in.next(Constraint.between(Long.MIN_VALUE, Long.MAX_VALUE)));
            case 4 -> NODES.numberNode(new BigInteger("9".repeat(1 + draw(in, 1_500))));
            case 5 -> NODES.numberNode(pick(in, List.of(0.5, -1e308, Double.MIN_VALUE, 1e-320)));
            case 6 -> NODES.booleanNode(draw(in, 1) == 1);
            case 7 -> NODES.nullNode();
            case 8 -> NODES.objectNode().set(text().generate(in), NODES.textNode(text().generate(in)));
            case 9 -> NODES.arrayNode().add(text().generate(in)).add(NODES.nullNode());
            case 10 -> nested(draw(in, maxDepth));
            default -> NODES.objectNode();
        };
    }

    private static JsonNode nested(int depth) {
        JsonNode node = NODES.textNode("deep");
        for (int i = 0; i < depth; i++) {
            node = i % 2 == 0 ? NODES.arrayNode().add(node) : NODES.objectNode().set("a", node);
        }
        return node;
    }

    /**
     * The document's text as sent, or cut, spliced, wrapped in nesting up to {@code maxDepth} deep, or
     * given a BOM or trailing bytes. (YAML's scanner takes time in the square of the nesting depth.)
     */
    private static String spliced(RandomnessSource in, String text, int maxDepth) {
        return switch (draw(in, 11)) {
            case 0 -> text.substring(0, draw(in, text.length()));
            case 1 -> insert(in, text, text().generate(in));
            case 2 -> insert(in, text, pick(in, CONTROLS));
            case 3 -> {
                int depth = 1 + draw(in, maxDepth);
                yield "[".repeat(depth) + text + (draw(in, 1) == 0 ? "]".repeat(depth) : "");
            }
            case 4 -> "\ufeff" + text;
            case 5 -> text + pick(in, List.of("}", "]", " x", "\u0000", "{}", ",", "/* */"));
            case 6 -> text.replace('"', '\'');
            case 7 -> text.replaceFirst("\\{", "{\"type\":1,\"type\":2,");
            default -> text;
        };
    }

    private static String insert(RandomnessSource in, String text, String piece) {
        int at = draw(in, text.length());
        return text.substring(0, at) + piece + text.substring(at);
    }

    private static String insertLine(RandomnessSource in, String text, String line) {
        List<Integer> starts = new ArrayList<>(List.of(0));
        for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
            starts.add(i + 1);
        }
        int at = pick(in, starts);
        return text.substring(0, at) + line + "\n" + text.substring(at);
    }

    private static String write(ObjectMapper mapper, JsonNode doc) {
        try {
            return mapper.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the generator built a document it cannot write", e);
        }
    }

    /** A parsed document, for the valid examples the generators start from. */
    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A document of the given fields, in order. */
    public static ObjectNode object(Map<String, ?> fields) {
        return JSON.valueToTree(fields);
    }
}
