package org.dsrflow.connector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.util.PlaceholderResolutionException;

/**
 * All connected systems, read from the connector files at start-up. A file with a mistake stops
 * the start with every problem listed (file, path inside it, what was expected); a system that is
 * merely unreachable is logged and retried when work for it arrives.
 */
public class ConnectorRegistry {
    private static final Logger log = LoggerFactory.getLogger(ConnectorRegistry.class);
    /** An automated system (a database, an API) is expected to answer within this, unless its file says otherwise. */
    static final java.time.Duration AUTOMATED_ANSWER = java.time.Duration.ofMinutes(1);

    private final Map<String, Connector> connectors;
    private final Map<String, java.time.Duration> expectedAnswers = new LinkedHashMap<>();

    public ConnectorRegistry(List<Connector> connectors) {
        this(connectors, Map.of());
    }

    ConnectorRegistry(List<Connector> connectors, Map<String, java.time.Duration> declared) {
        Map<String, Connector> bySystem = new LinkedHashMap<>();
        connectors.forEach(c -> bySystem.put(c.system(), c));
        this.connectors = bySystem;
        for (Connector c : connectors) {
            java.time.Duration expected = declared.get(c.system());
            if (expected == null) {
                expected = c instanceof DeferredConnector d ? d.answerWithin() : AUTOMATED_ANSWER;
            }
            expectedAnswers.put(c.system(), expected);
        }
    }

    /**
     * How long the system is expected to take to answer a task ({@code expected-answer} in its file;
     * by default a minute for a database or an API, {@code answer-within} for one that answers later).
     */
    public java.time.Duration expectedAnswer(String system) {
        return expectedAnswers.getOrDefault(system, AUTOMATED_ANSWER);
    }

    /** Reads every file matching {@code location} (patterns, comma-separated); each {@code type} is built by its factory. */
    public static ConnectorRegistry load(String location, Environment env, Map<String, ConnectorFactory> factories) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<String> problems = new ArrayList<>();
        List<Connector> built = new ArrayList<>();
        Map<String, java.time.Duration> expectedBySystem = new LinkedHashMap<>();
        Resource[] files;
        try {
            // several locations may be given, comma-separated (the shipped files and a folder of one's own)
            List<Resource> found = new ArrayList<>();
            for (String one : location.split(",")) {
                found.addAll(List.of(new PathMatchingResourcePatternResolver().getResources(one.trim())));
            }
            files = found.toArray(Resource[]::new);
        } catch (IOException e) {
            throw new ConnectorConfigException(List.of(location + ": cannot list connector files: " + e.getMessage()));
        }
        for (Resource file : files) {
            String name = file.getFilename() == null ? "?" : file.getFilename();
            String label = "connectors/" + name;
            FileProblems fileProblems = new FileProblems(label);
            try {
                String text = env.resolveRequiredPlaceholders(file.getContentAsString(StandardCharsets.UTF_8));
                JsonNode root = yaml.readTree(text);
                String system = root == null ? null : root.path("system").asText(null);
                String expected = name.replaceFirst("\\.ya?ml$", "");
                if (system == null || !system.equals(expected)) {
                    fileProblems.add("system", "expected '" + expected + "' (the file name), got '" + system + "'");
                    continue;
                }
                String type = root.path("type").asText("");
                ConnectorFactory factory = factories.get(type);
                if (factory == null) {
                    fileProblems.add("type", "expected one of " + factories.keySet() + ", got '" + type + "'");
                    continue;
                }
                if (root.has("expected-answer")) {
                    try {
                        java.time.Duration d = java.time.Duration.parse(root.get("expected-answer").asText());
                        if (d.isNegative() || d.isZero()) {
                            throw new java.time.format.DateTimeParseException("not positive", d.toString(), 0);
                        }
                        expectedBySystem.put(system, d);
                    } catch (java.time.format.DateTimeParseException e) {
                        fileProblems.add("expected-answer", "expected a positive ISO-8601 duration such as PT5M or P2D, got '"
                                + root.get("expected-answer").asText() + "'");
                        continue;
                    }
                }
                built.add(factory.create(label, root));
            } catch (ConnectorConfigException e) {
                problems.addAll(e.problems());
            } catch (PlaceholderResolutionException e) {
                // its message holds the whole file: name the placeholder alone
                fileProblems.add("", "no value for the placeholder ${" + e.getPlaceholder() + "}");
            } catch (IllegalArgumentException | IOException e) {
                // a YAML syntax error spans several lines (the line, a caret): kept on one
                String message = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
                fileProblems.add("", String.valueOf(message).replaceAll("\\s+", " ").trim());
            } finally {
                problems.addAll(fileProblems.list());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConnectorConfigException(problems);
        }
        if (built.isEmpty()) {
            throw new ConnectorConfigException(List.of(location + ": no connector files found"));
        }
        List<String> identities = built.stream().filter(c -> c.identity().isPresent()).map(Connector::system).toList();
        if (identities.size() > 1) {
            throw new ConnectorConfigException(List.of(location + ": more than one connector declares identity: " + identities
                    + "; only the account system may"));
        }
        log.info("Connected systems: {}", built.stream().map(Connector::system).toList());
        return new ConnectorRegistry(built, expectedBySystem);
    }

    /** The account system, if one connector file declares {@code identity:}. */
    public Optional<IdentitySource> identitySource() {
        return connectors.values().stream().map(Connector::identity).flatMap(Optional::stream).findFirst();
    }

    public Collection<Connector> all() {
        return connectors.values();
    }

    public Optional<Connector> find(String system) {
        return Optional.ofNullable(connectors.get(system));
    }
}
