package org.dsrflow.connector;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads and checks the connector file of a system that answers in its own time ({@code type: kafka}
 * or {@code type: manual}); every mistake is reported with its path. A manual system needs an owner
 * address, since its tasks are mailed there.
 */
public final class DeclaredSpecReader {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    private static final Set<String> TOP = Set.of("system", "type", "title", "owner", "language", "answer-within", "datasets",
            "expected-answer");
    private static final Set<String> DATASET = Set.of("name", "purpose", "categories", "on-erase", "retention");
    private static final Set<String> ON_ERASE = Set.of("anonymize", "delete", "retain");

    private final FileProblems problems;
    private final RetentionReader retentions;

    private DeclaredSpecReader(String file) {
        this.problems = new FileProblems(file);
        this.retentions = new RetentionReader(problems);
    }

    public static DeclaredSystem read(String file, JsonNode root, boolean ownerMustBeAnAddress) {
        return new DeclaredSpecReader(file).read(root, ownerMustBeAnAddress);
    }

    private DeclaredSystem read(JsonNode root, boolean ownerMustBeAnAddress) {
        problems.onlyKeys(root, "", TOP.toArray(String[]::new));
        String system = root.path("system").asText("");
        if (!NAME.matcher(system).matches()) {
            problems.add("system", "expected a lower-case name (letters, digits, - and _), usable in a topic name");
        }
        String owner = root.path("owner").asText("");
        if (ownerMustBeAnAddress && !owner.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            problems.add("owner", "expected the mail address the tasks are sent to, got '" + owner + "'");
        }
        String language = root.path("language").asText("en");
        if (!Set.of("en", "zh").contains(language)) {
            problems.add("language", "expected en or zh (the language of the owner's mails), got '" + language + "'");
        }
        Duration answerWithin = Duration.ofHours(1);
        if (root.has("answer-within")) {
            try {
                answerWithin = Duration.parse(root.get("answer-within").asText());
                if (answerWithin.isNegative() || answerWithin.isZero()) {
                    problems.add("answer-within", "expected a positive duration");
                }
            } catch (DateTimeParseException e) {
                problems.add("answer-within", "expected an ISO-8601 duration such as PT1H, got '" + root.get("answer-within").asText() + "'");
            }
        }
        List<DeclaredSystem.Dataset> datasets = new ArrayList<>();
        JsonNode list = root.path("datasets");
        if (!list.isArray() || list.isEmpty()) {
            problems.add("datasets", "expected a non-empty list of the datasets the system holds");
        } else {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                DeclaredSystem.Dataset d = dataset(list.get(i), "datasets[" + i + "].");
                if (d != null && !names.add(d.name())) {
                    problems.add("datasets[" + i + "].name", "dataset '" + d.name() + "' is listed twice");
                }
                datasets.add(d);
            }
        }
        problems.throwIfAny();
        return new DeclaredSystem(system, root.path("title").asText(system), owner, language, answerWithin, datasets);
    }

    private DeclaredSystem.Dataset dataset(JsonNode node, String at) {
        problems.onlyKeys(node, at, DATASET.toArray(String[]::new));
        String name = node.path("name").asText("");
        if (name.isBlank()) {
            problems.add(at + "name", "expected the dataset's name");
        }
        String purpose = node.path("purpose").asText("");
        if (purpose.isBlank()) {
            problems.add(at + "purpose", "expected why the system holds this data (it goes into the export manifest)");
        }
        List<String> categories = new ArrayList<>();
        node.path("categories").forEach(c -> categories.add(c.asText()));
        if (categories.isEmpty()) {
            problems.add(at + "categories", "expected a list of data categories, e.g. [contact.email]");
        }
        String onErase = node.path("on-erase").asText("anonymize");
        if (!ON_ERASE.contains(onErase)) {
            problems.add(at + "on-erase", "expected one of " + ON_ERASE + ", got '" + onErase + "'");
        }
        Retention retention = null;
        if ("retain".equals(onErase)) {
            retention = retention(node.path("retention"), at + "retention");
        } else if (node.has("retention")) {
            problems.add(at + "retention", "only a dataset with on-erase: retain keeps rows");
        }
        return new DeclaredSystem.Dataset(name, purpose, categories, onErase, retention);
    }

    private Retention retention(JsonNode node, String at) {
        if (!problems.map(node, at, "reason, legal-basis and period for kept rows")) {
            return null;
        }
        return retentions.read(node, at);
    }
}
