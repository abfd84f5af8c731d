package org.dsrflow.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.dsrflow.fuzz.Fuzz;
import org.dsrflow.fuzz.Hostile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;

/**
 * Connector files of the systems that answer in their own time ({@code type: kafka} and
 * {@code type: manual}), read at start by {@link ConnectorRegistry#load} and {@link DeclaredSpecReader}.
 */
class DeclaredSpecFuzzTests {
    private static final Map<String, ConnectorFactory> FACTORIES = Map.of(
            "kafka", ConnectorFiles.reading("kafka", (file, root) -> declared(DeclaredSpecReader.read(file, root, false))),
            "manual", ConnectorFiles.reading("manual", (file, root) -> declared(DeclaredSpecReader.read(file, root, true))));
    private static final List<JsonNode> VALID = List.of(ConnectorFiles.shipped("connectors/notifications.yaml"),
            ConnectorFiles.shipped("test-connectors/archive.yaml"));

    @TempDir(factory = ConnectorFiles.InMemory.class)
    Path folder;

    record File(String name, String text) {
        @Override
        public String toString() {
            return name + ":\n" + Fuzz.show(text);
        }
    }

    @Test
    void anyDeclaredSystemFileIsASystemOrTheListOfItsProblems() {
        Fuzz.check(files(), file -> ConnectorFiles.load(folder, file.name(), file.text(), FACTORIES, read -> {
            DeclaredSystem system = (DeclaredSystem) read.spec();
            assertThat(system.system()).matches("[a-z][a-z0-9_-]{0,62}");
            assertThat(system.language()).isIn("en", "zh");
            assertThat(system.answerWithin()).isPositive();
            assertThat(system.datasets()).isNotEmpty();
            Set<String> names = new HashSet<>();
            system.datasets().forEach(d -> {
                assertThat(d.name()).isNotBlank();
                assertThat(names.add(d.name())).as("dataset names are unique").isTrue();
                assertThat(d.purpose()).isNotBlank();
                assertThat(d.categories()).isNotEmpty();
                assertThat(d.onErase()).isIn("anonymize", "delete", "retain");
                assertThat(d.retention() != null).isEqualTo(d.onErase().equals("retain"));
            });
        }));
    }

    /** A file near the shipped ones, under the name its system asks for (so the reader behind the name check is reached). */
    static Gen<File> files() {
        return in -> {
            int base = Hostile.draw(in, VALID.size() - 1);
            String name = Hostile.draw(in, 15) == 0 ? Hostile.pick(in, List.of("x.yaml", "notifications.yml", ".yaml", "a b.yaml"))
                    : VALID.get(base).path("system").asText() + ".yaml";
            return new File(name, Hostile.yamlNear(List.of(VALID.get(base))).generate(in));
        };
    }

    private static Connector declared(DeclaredSystem system) {
        return new ConnectorFiles.Read(system.system(), system);
    }
}
