package org.dsrflow.connector.jdbc;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.dsrflow.connector.FileProblems;
import org.dsrflow.connector.Retention;
import org.dsrflow.connector.RetentionReader;
import org.dsrflow.connector.jdbc.JdbcConnectorSpec.ColumnSpec;
import org.dsrflow.connector.jdbc.JdbcConnectorSpec.ConnectionSpec;
import org.dsrflow.connector.jdbc.JdbcConnectorSpec.EraseStrategy;
import org.dsrflow.connector.jdbc.JdbcConnectorSpec.IdentitySpec;
import org.dsrflow.connector.jdbc.JdbcConnectorSpec.OnErase;
import org.dsrflow.connector.jdbc.JdbcConnectorSpec.TableSpec;
import org.dsrflow.connector.jdbc.JdbcConnectorSpec.Via;

/**
 * Reads a jdbc connector file into a {@link JdbcConnectorSpec}. Every mistake is collected, not
 * just the first, and each names the file and the path inside it, e.g.
 * {@code connectors/billing.yaml: tables[2].columns.buyer_name.erase: expected one of ...}.
 */
final class JdbcSpecReader {
    /** Plain SQL identifiers only: quoting alone is not trusted to make an arbitrary string safe. */
    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Set<String> IDENTIFIER_TYPES = Set.of("email");
    private static final Pattern DATA_POINT = Pattern.compile("[a-z][a-z-]{0,31}");

    private static final Pattern MEMORY = Pattern.compile("[1-9][0-9]{0,6}(kB|MB|GB)");
    /**
     * Enough for the bitmap of a million rows to stay exact: with PostgreSQL's default 4MB the
     * planner reads a heavy subject's whole table instead of its index (BENCHMARKS.md, scenario 2).
     */
    static final String DEFAULT_EXPORT_WORK_MEM = "32MB";

    private final FileProblems problems;

    private JdbcSpecReader(String file) {
        this.problems = new FileProblems(file);
    }

    static JdbcConnectorSpec read(String file, JsonNode root) {
        JdbcSpecReader reader = new JdbcSpecReader(file);
        JdbcConnectorSpec spec = reader.connector(root);
        reader.problems.throwIfAny();
        return spec;
    }

    private JdbcConnectorSpec connector(JsonNode root) {
        String system = text(root, "system", "", true);
        JsonNode conn = root.path("connection");
        ConnectionSpec connection = new ConnectionSpec(text(conn, "url", "connection.", true),
                text(conn, "username", "connection.", false), text(conn, "password", "connection.", false),
                identifierOr(conn, "schema", "connection.", "public"), memory(conn, "export-work-mem", "connection.", DEFAULT_EXPORT_WORK_MEM));
        List<TableSpec> tables = new ArrayList<>();
        JsonNode list = root.path("tables");
        if (!list.isArray() || list.isEmpty()) {
            problem("tables", "expected a non-empty list of tables");
        } else {
            for (int i = 0; i < list.size(); i++) {
                tables.add(table(list.get(i), "tables[" + i + "].", tables));
            }
        }
        IdentitySpec identity = root.has("identity") ? identity(root.get("identity"), tables) : null;
        return new JdbcConnectorSpec(system, text(root, "title", "", false), text(root, "owner", "", false), connection, tables, identity);
    }

    private IdentitySpec identity(JsonNode node, List<TableSpec> tables) {
        String at = "identity.";
        String table = identifier(node, "table", at);
        TableSpec declared = tables.stream().filter(t -> t.name() != null && t.name().equals(table)).findFirst().orElse(null);
        if (table != null && declared == null) {
            problem(at + "table", "expected one of the tables listed under tables, got '" + table + "'");
        }
        String key = identifier(node, "key", at);
        String email = identifier(node, "email", at);
        String region = node.has("region") ? identifier(node, "region", at) : null;
        Map<String, String> dataPoints = new LinkedHashMap<>();
        node.path("data-points").fields().forEachRemaining(e -> {
            if (!DATA_POINT.matcher(e.getKey()).matches()) {
                problem(at + "data-points." + e.getKey(), "expected a name of lower-case letters and -");
            }
            dataPoints.put(e.getKey(), identifierValue(e.getValue(), at + "data-points." + e.getKey()));
        });
        if (declared != null) {
            List<String> columns = new ArrayList<>();
            columns.add(key);
            columns.add(email);
            columns.add(region);
            columns.addAll(dataPoints.values());
            for (String column : columns) {
                if (column != null && declared.column(column).isEmpty()) {
                    problem(at.substring(0, at.length() - 1), "the column '" + column + "' is not declared in table '" + table + "'");
                }
            }
        }
        return new IdentitySpec(table, key, email, region, dataPoints);
    }

    private TableSpec table(JsonNode node, String at, List<TableSpec> earlier) {
        String name = identifier(node, "name", at);
        if (name != null && earlier.stream().anyMatch(t -> name.equals(t.name()))) {
            problem(at + "name", "table '" + name + "' is listed twice");
        }
        Map<String, String> match = new LinkedHashMap<>();
        node.path("match").fields().forEachRemaining(e -> {
            if (!IDENTIFIER_TYPES.contains(e.getKey())) {
                problem(at + "match." + e.getKey(), "expected an identifier type, one of " + IDENTIFIER_TYPES);
            }
            match.put(e.getKey(), identifierValue(e.getValue(), at + "match." + e.getKey()));
        });
        Via via = null;
        if (node.has("via")) {
            JsonNode v = node.get("via");
            via = new Via(identifier(v, "column", at + "via."), identifier(v, "parent", at + "via."),
                    identifier(v, "parent-column", at + "via."));
            String parent = via.parent();
            if (parent != null && earlier.stream().noneMatch(t -> parent.equals(t.name()))) {
                problem(at + "via.parent", "expected a table listed before this one, got '" + parent + "'");
            }
        }
        if (match.isEmpty() == (via == null)) {
            problem(at.isEmpty() ? "table" : at.substring(0, at.length() - 1),
                    "a table needs exactly one of 'match' (found by the subject's identifiers) or 'via' (found through a parent)");
        }
        OnErase onErase = choice(node, "on-erase", at, OnErase.class, OnErase.ANONYMIZE);
        Retention retention = null;
        if (onErase == OnErase.RETAIN) {
            retention = new RetentionReader(problems).read(node.path("retention"), at + "retention");
        } else if (node.has("retention")) {
            problem(at + "retention", "only a table with on-erase: retain takes a retention");
        }
        return new TableSpec(name, text(node, "purpose", at, true), match, via, identifier(node, "key", at), onErase, retention,
                columns(node.path("columns"), at + "columns"));
    }

    private List<ColumnSpec> columns(JsonNode node, String at) {
        List<ColumnSpec> columns = new ArrayList<>();
        if (!node.isObject() || node.isEmpty()) {
            problem(at, "expected a map of column name -> {category, erase}");
            return columns;
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = at + "." + e.getKey();
            if (!IDENTIFIER.matcher(e.getKey()).matches()) {
                problem(path, "not a plain SQL identifier");
            }
            JsonNode c = e.getValue();
            EraseStrategy erase = choice(c, "erase", path + ".", EraseStrategy.class, null);
            String value = text(c, "value", path + ".", erase == EraseStrategy.FIXED);
            if (erase != EraseStrategy.FIXED && value != null) {
                problem(path + ".value", "only erase: fixed takes a value");
            }
            columns.add(new ColumnSpec(e.getKey(), text(c, "category", path + ".", true), erase, value));
        }
        return columns;
    }

    private <E extends Enum<E>> E choice(JsonNode node, String field, String at, Class<E> type, E fallback) {
        JsonNode v = node.get(field);
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(e.name().toLowerCase(Locale.ROOT));
        }
        if (v == null || v.isNull() && fallback != null) {
            if (fallback == null) {
                problem(at + field, "missing; expected one of " + allowed);
            }
            return fallback;
        }
        // YAML reads a bare null as a null node; take it as the 'null' strategy the author meant.
        String raw = v.isNull() ? "null" : v.asText();
        if (!v.isValueNode() || !allowed.contains(raw)) {
            problem(at + field, "expected one of " + allowed + ", got '" + raw + "'");
            return fallback;
        }
        return Enum.valueOf(type, raw.toUpperCase(Locale.ROOT));
    }

    private String identifier(JsonNode node, String field, String at) {
        return identifierValue(node.get(field), at + field);
    }

    private String identifierOr(JsonNode node, String field, String at, String fallback) {
        return node.hasNonNull(field) ? identifier(node, field, at) : fallback;
    }

    private String identifierValue(JsonNode v, String path) {
        if (v == null || v.isNull() || !v.isTextual()) {
            problem(path, "missing; expected a table or column name");
            return null;
        }
        if (!IDENTIFIER.matcher(v.asText()).matches()) {
            problem(path, "expected a plain SQL identifier (letters, digits, _), got '" + v.asText() + "'");
            return null;
        }
        return v.asText();
    }

    private String memory(JsonNode node, String field, String at, String fallback) {
        if (!node.hasNonNull(field)) {
            return fallback;
        }
        String value = node.get(field).asText();
        java.util.regex.Matcher m = MEMORY.matcher(value);
        if (!m.matches()) {
            problem(at + field, "expected an amount of memory such as 64MB (kB, MB or GB), got '" + value + "'");
            return fallback;
        }
        long kilobytes = Long.parseLong(value.substring(0, value.length() - 2))
                * switch (m.group(1)) { case "GB" -> 1024L * 1024; case "MB" -> 1024L; default -> 1L; };
        if (kilobytes < 64 || kilobytes > 64L * 1024 * 1024) {
            problem(at + field, "expected between 64kB and 64GB (what PostgreSQL's work_mem takes here), got '" + value + "'");
            return fallback;
        }
        return value;
    }

    private String text(JsonNode node, String field, String at, boolean required) {
        return problems.text(node, field, at, required);
    }

    private void problem(String path, String message) {
        problems.add(path, message);
    }
}
