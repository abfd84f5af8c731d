package org.dsrflow.connector.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dsrflow.connector.FileProblems;
import org.dsrflow.connector.Retention;
import org.dsrflow.connector.RetentionReader;
import org.dsrflow.connector.http.HttpConnectorSpec.DatasetSpec;
import org.dsrflow.connector.http.HttpConnectorSpec.EraseSpec;
import org.dsrflow.connector.http.HttpConnectorSpec.LookupSpec;
import org.dsrflow.connector.http.HttpConnectorSpec.OnErase;
import org.dsrflow.connector.http.HttpConnectorSpec.Pagination;
import org.dsrflow.connector.http.HttpConnectorSpec.PaginationType;
import org.dsrflow.connector.http.HttpConnectorSpec.RetrySpec;

/**
 * Reads an http connector file into an {@link HttpConnectorSpec}. Every mistake is collected and
 * names the file and the path inside it, e.g.
 * {@code connectors/helpdesk.yaml: datasets[0].export.records: expected a JSON pointer starting with /}.
 * Keys the format does not know are refused, so a misspelt option never silently falls back to a default.
 * Secrets are looked up by the variable names the file gives ({@link Credentials#read}); a name without a value is a mistake too.
 */
final class HttpSpecReader {
    static final String EMAIL = "email";
    static final String PAGE = "page";
    static final String CURSOR = "cursor";

    private static final Pattern DATASET_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    private static final Set<String> ERASE_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final RetrySpec DEFAULT_RETRY = new RetrySpec(3, Duration.ofSeconds(1), Duration.ofSeconds(30));
    private static final int DEFAULT_MAX_PAGES = 1000;

    private final FileProblems problems;
    private final UnaryOperator<String> environment;

    private HttpSpecReader(String file, UnaryOperator<String> environment) {
        this.problems = new FileProblems(file);
        this.environment = environment;
    }

    /** The file as a spec; {@code environment} gives a variable's value, or null when it is not set. */
    static HttpConnectorSpec read(String file, JsonNode root, UnaryOperator<String> environment) {
        HttpSpecReader reader = new HttpSpecReader(file, environment);
        HttpConnectorSpec spec = reader.connector(root);
        reader.problems.throwIfAny();
        return spec;
    }

    private HttpConnectorSpec connector(JsonNode root) {
        if (!problems.map(root, "", "the connector file")) {
            return null;
        }
        problems.onlyKeys(root, "", "system", "type", "title", "owner", "base-url", "auth", "timeout", "retry", "check", "datasets",
                "expected-answer");
        String type = text(root, "type", "", true);
        if (type != null && !type.equals("http")) {
            problem("type", "expected 'http', got '" + type + "'");
        }
        URI base = baseUrl(text(root, "base-url", "", true));
        Duration timeout = duration(root, "timeout", "", DEFAULT_TIMEOUT);
        return new HttpConnectorSpec(text(root, "system", "", true), text(root, "title", "", false), text(root, "owner", "", false),
                base, Credentials.read(root.get("auth"), problems, environment), timeout, retry(root.get("retry")), check(root.get("check"), base),
                datasets(root.get("datasets"), base));
    }

    private URI baseUrl(String text) {
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                problem("base-url", "expected an http:// or https:// address with a host, got '" + text + "'");
            } else if (uri.getRawUserInfo() != null) {
                problem("base-url", "expected no user or password in the address; credentials belong under auth, taken from the environment");
            } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                problem("base-url", "expected no query or fragment; put them in each request's path");
            } else {
                return uri;
            }
        } catch (URISyntaxException e) {
            problem("base-url", "expected an http:// or https:// address, got '" + text + "'");
        }
        return null;
    }

    private RetrySpec retry(JsonNode node) {
        if (node == null) {
            return DEFAULT_RETRY;
        }
        if (!problems.map(node, "retry", "{attempts, first-wait, max-wait}")) {
            return DEFAULT_RETRY;
        }
        problems.onlyKeys(node, "retry.", "attempts", "first-wait", "max-wait");
        int attempts = problems.number(node, "attempts", "retry.", DEFAULT_RETRY.attempts(), 1, 10);
        Duration first = duration(node, "first-wait", "retry.", DEFAULT_RETRY.firstWait());
        Duration max = duration(node, "max-wait", "retry.", DEFAULT_RETRY.maxWait());
        if (first.compareTo(max) > 0) {
            problem("retry.first-wait", "expected at most max-wait (" + max + "), got " + first);
        }
        return new RetrySpec(attempts, first, max);
    }

    private UrlTemplate check(JsonNode node, URI base) {
        if (!problems.map(node, "check", "{path: /...}, a GET that answers 2xx when the system is up and the credentials are good")) {
            return null;
        }
        problems.onlyKeys(node, "check.", "path");
        return url(node, "path", "check.", base, Set.of());
    }

    private List<DatasetSpec> datasets(JsonNode list, URI base) {
        List<DatasetSpec> datasets = new ArrayList<>();
        if (list == null || !list.isArray() || list.isEmpty()) {
            problem("datasets", "expected a non-empty list of datasets");
            return datasets;
        }
        for (int i = 0; i < list.size(); i++) {
            String at = "datasets[" + i + "]";
            DatasetSpec dataset = dataset(list.get(i), at, base);
            if (dataset != null && dataset.name() != null && datasets.stream().anyMatch(d -> d != null && dataset.name().equals(d.name()))) {
                problem(at + ".name", "dataset '" + dataset.name() + "' is listed twice");
            }
            datasets.add(dataset);
        }
        return datasets;
    }

    private DatasetSpec dataset(JsonNode node, String path, URI base) {
        if (!problems.map(node, path, "a dataset {name, purpose, categories, on-erase, export, erase}")) {
            return null;
        }
        String at = path + ".";
        problems.onlyKeys(node, at, "name", "purpose", "categories", "on-erase", "retention", "export", "erase");
        String name = text(node, "name", at, true);
        if (name != null && !DATASET_NAME.matcher(name).matches()) {
            problem(at + "name", "expected a name of lower-case letters, digits, _ and -, got '" + name + "'");
        }
        OnErase onErase = onErase(node, at);
        Retention retention = null;
        if (onErase == OnErase.RETAIN) {
            retention = new RetentionReader(problems).read(node.path("retention"), at + "retention");
        } else if (node.has("retention")) {
            problem(at + "retention", "only a dataset with on-erase: retain takes a retention");
        }
        return new DatasetSpec(name, text(node, "purpose", at, true), categories(node.get("categories"), at + "categories"), onErase,
                retention, lookup(node.get("export"), at + "export", base), erase(node.get("erase"), at + "erase", base));
    }

    private OnErase onErase(JsonNode node, String at) {
        String value = text(node, "on-erase", at, false);
        if (value == null) {
            problem(at + "on-erase", "missing; expected one of [anonymize, delete, retain]");
            return null;
        }
        try {
            return OnErase.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problem(at + "on-erase", "expected one of [anonymize, delete, retain], got '" + value + "'");
            return null;
        }
    }

    private List<String> categories(JsonNode node, String path) {
        List<String> categories = new ArrayList<>();
        if (node == null || !node.isArray() || node.isEmpty()) {
            problem(path, "expected a non-empty list of data categories, such as [contact.email, support.conversation]");
            return categories;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode c = node.get(i);
            if (!c.isTextual() || c.asText().isBlank()) {
                problem(path + "[" + i + "]", "expected a data category such as contact.email");
            } else {
                categories.add(c.asText());
            }
        }
        return categories;
    }

    private LookupSpec lookup(JsonNode node, String path, URI base) {
        if (!problems.map(node, path, "{path, records, pagination}")) {
            return null;
        }
        String at = path + ".";
        problems.onlyKeys(node, at, "path", "records", "pagination", "max-pages");
        Pagination pagination = pagination(node.get("pagination"), at + "pagination");
        UrlTemplate url = url(node, "path", at, base, Set.of(EMAIL, PAGE, CURSOR));
        if (url != null) {
            requireEmail(url.placeholders(), at + "path");
            if (pagination != null) {
                paginationPlaceholders(url, pagination.type(), at + "path");
            }
        }
        JsonPointer records = node.has("records") && node.get("records").isTextual() && node.get("records").asText().isEmpty()
                ? JsonPointer.empty() : pointer(node, "records", at, " (or \"\" when the response itself is the list)");
        return new LookupSpec(url, records, pagination, problems.number(node, "max-pages", at, DEFAULT_MAX_PAGES, 1, 100_000));
    }

    private Pagination pagination(JsonNode node, String path) {
        if (node == null) {
            return Pagination.NONE;
        }
        String at = path + ".";
        String type = problems.kind(node, path, List.of("page", "cursor", "none"));
        if (type == null) {
            return null;
        }
        switch (type) {
            case "page" -> {
                problems.onlyKeys(node, at, "type", "first");
                return new Pagination(PaginationType.PAGE, problems.number(node, "first", at, 1, 0, 1_000_000), null);
            }
            case "cursor" -> {
                problems.onlyKeys(node, at, "type", "next");
                return new Pagination(PaginationType.CURSOR, 0, pointer(node, "next", at, ""));
            }
            default -> {
                problems.onlyKeys(node, at, "type");
                return Pagination.NONE;
            }
        }
    }

    /** {page} belongs to page pagination and {cursor} to cursor pagination, which cannot work without it. */
    private void paginationPlaceholders(UrlTemplate url, PaginationType type, String path) {
        Set<String> used = url.placeholders();
        if (type == PaginationType.PAGE && !used.contains(PAGE)) {
            problem(path, "pagination type page needs {page} in the path, e.g. ?page={page}");
        }
        if (type != PaginationType.PAGE && used.contains(PAGE)) {
            problem(path, "{page} is only for pagination type page");
        }
        if (type == PaginationType.CURSOR && !used.contains(CURSOR)) {
            problem(path, "pagination type cursor needs a query parameter for it, e.g. &after={cursor}");
        }
        if (type != PaginationType.CURSOR && used.contains(CURSOR)) {
            problem(path, "{cursor} is only for pagination type cursor");
        }
        if (type == PaginationType.CURSOR && used.contains(CURSOR) && !url.onlyAsQueryValue(CURSOR)) {
            problem(path, "expected {cursor} as the whole value of a query parameter (e.g. &after={cursor}), "
                    + "so that the first request can leave it out");
        }
    }

    private EraseSpec erase(JsonNode node, String path, URI base) {
        if (!problems.map(node, path, "{method, path, body, count}")) {
            return null;
        }
        String at = path + ".";
        problems.onlyKeys(node, at, "method", "path", "body", "count");
        String method = text(node, "method", at, true);
        if (method != null && !ERASE_METHODS.contains(method)) {
            problem(at + "method", "expected one of [POST, PUT, PATCH, DELETE], got '" + method + "'");
        }
        UrlTemplate url = url(node, "path", at, base, Set.of(EMAIL));
        Template body = body(node, at);
        if (url != null && (body != null || !node.has("body"))) {
            Set<String> used = new java.util.HashSet<>(url.placeholders());
            if (body != null) {
                used.addAll(body.placeholders());
            }
            requireEmail(used, path + ".path");
        }
        return new EraseSpec(method, url, body, pointer(node, "count", at, ""));
    }

    private Template body(JsonNode node, String at) {
        String text = text(node, "body", at, false);
        if (text == null) {
            return null;
        }
        Template body = Template.parse(text);
        if (!knownPlaceholders(body.placeholders(), at + "body", Set.of(EMAIL))) {
            return null;
        }
        try {
            new ObjectMapper().readTree(body.expand(sampleValues(body.placeholders()), Template::json));
        } catch (java.io.IOException | RuntimeException e) {
            problem(at + "body", "expected JSON with each placeholder standing for a value, e.g. '{\"email\": {email}}' (no quotes around {email})");
            return null;
        }
        return body;
    }

    private void requireEmail(Set<String> used, String path) {
        if (!used.contains(EMAIL)) {
            problem(path, "expected {email} in the request, so that it is about the subject and no one else");
        }
    }

    private UrlTemplate url(JsonNode node, String field, String at, URI base, Set<String> allowed) {
        String text = text(node, field, at, true);
        if (text == null) {
            return null;
        }
        if (!text.startsWith("/")) {
            problem(at + field, "expected a path starting with / (it follows base-url), got '" + text + "'");
            return null;
        }
        UrlTemplate url = UrlTemplate.parse(text);
        if (!knownPlaceholders(url.placeholders(), at + field, allowed)) {
            return null;
        }
        try {
            URI uri = new URI((base == null ? "http://localhost" : base.toString()) + url.expand(sampleValues(url.placeholders())));
            if (uri.getRawFragment() != null) {
                problem(at + field, "expected no # fragment in a request path");
                return null;
            }
        } catch (URISyntaxException e) {
            problem(at + field, "expected a path and query whose fixed parts are valid in a URL (encode spaces and braces), got '" + text + "'");
            return null;
        }
        return url;
    }

    private boolean knownPlaceholders(Set<String> used, String path, Set<String> allowed) {
        List<String> unknown = used.stream().filter(p -> !allowed.contains(p)).toList();
        if (!unknown.isEmpty()) {
            problem(path, "unknown placeholder " + unknown.stream().map(p -> "{" + p + "}").toList() + "; expected only "
                    + allowed.stream().sorted().map(p -> "{" + p + "}").toList());
            return false;
        }
        return true;
    }

    private static Map<String, String> sampleValues(Set<String> placeholders) {
        Map<String, String> values = new LinkedHashMap<>();
        placeholders.forEach(p -> values.put(p, "x"));
        return values;
    }

    private JsonPointer pointer(JsonNode node, String field, String at, String alternative) {
        return problems.parsed(node, field, at, true, text -> text.startsWith("/") ? JsonPointer.compile(text) : null,
                "expected a JSON pointer starting with /" + alternative);
    }

    private Duration duration(JsonNode node, String field, String at, Duration fallback) {
        Duration parsed = problems.parsed(node, field, at, false, text -> {
            Duration d = Duration.parse(text);
            return d.isNegative() || d.isZero() ? null : d;
        }, "expected a positive ISO-8601 duration such as PT10S or PT0.5S");
        return parsed == null ? fallback : parsed;
    }

    private String text(JsonNode node, String field, String at, boolean required) {
        return problems.text(node, field, at, required);
    }

    private void problem(String path, String message) {
        problems.add(path, message);
    }
}
