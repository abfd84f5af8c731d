package org.dsrflow.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.dsrflow.fuzz.Fuzz;
import org.dsrflow.fuzz.Hostile;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Connector files read the way the application reads them at start ({@link ConnectorRegistry#load}),
 * with factories that only read the file into its spec: no connection to any system is made.
 */
public final class ConnectorFiles {
    /** The environment the files' placeholders and credential names are looked up in. */
    public static final StandardEnvironment ENVIRONMENT = new StandardEnvironment();

    static {
        ENVIRONMENT.getPropertySources().addFirst(new MapPropertySource("fuzz", Map.of(
                "DSRFLOW_HELPDESK_TOKEN", "helpdesk-test-token", "dsrflow.demo.helpdesk.port", "18089",
                "LINE_BREAK_TOKEN", "a\r\nX-Injected: 1")));
    }

    private ConnectorFiles() {
    }

    /**
     * Where a fuzz test writes its files: a folder in memory where the machine has one
     * ({@code /dev/shm}), as ten thousand writes to a disk take seconds. JUnit removes it afterwards.
     */
    public static final class InMemory implements TempDirFactory {
        @Override
        public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws IOException {
            Path memory = Path.of("/dev/shm");
            return Files.isDirectory(memory) && Files.isWritable(memory) ? Files.createTempDirectory(memory, "connector-files")
                    : Files.createTempDirectory("connector-files");
        }
    }

    /** A connector that holds what its file said and reaches nothing. */
    public record Read(String system, Object spec) implements Connector {
        @Override
        public ConnectorDescription describe() {
            return new ConnectorDescription(system, "read-only", null, null, List.of());
        }

        @Override
        public ConnectorCheck check() {
            return new ConnectorCheck(system, true, List.of());
        }

        @Override
        public ExportSummary export(Subject subject, RecordSink sink) {
            throw new UnsupportedOperationException("reads its file only");
        }

        @Override
        public ErasureReport erase(Subject subject) {
            throw new UnsupportedOperationException("reads its file only");
        }

        @Override
        public VerifyReport verifyErased(Subject subject) {
            throw new UnsupportedOperationException("reads its file only");
        }
    }

    /** A factory of {@code type} whose connectors are what {@code reader} makes of the file. */
    public static ConnectorFactory reading(String type, BiFunction<String, JsonNode, Connector> reader) {
        return new ConnectorFactory() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public Connector create(String file, JsonNode definition) {
                return reader.apply(file, definition);
            }
        };
    }

    /**
     * Writes {@code text} as the file {@code name} in {@code folder} and loads it. Either the file
     * gives its one connector, which {@code wellFormed} checks, or the start stops with a
     * {@link ConnectorConfigException} whose every problem names the file and reads well.
     */
    public static void load(Path folder, String name, String text, Map<String, ConnectorFactory> factories, Consumer<Read> wellFormed) {
        Path file = folder.resolve(name);
        try {
            Files.write(file, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ConnectorRegistry registry;
        try {
            registry = ConnectorRegistry.load(file.toUri().toString(), ENVIRONMENT, factories);
        } catch (ConnectorConfigException e) {
            assertThat(e.problems()).isNotEmpty().allSatisfy(problem -> {
                assertThat(problem).startsWith("connectors/" + name + ": ");
                Fuzz.readable(problem);
            });
            return;
        } catch (Throwable t) {
            throw new AssertionError("not a documented refusal: " + t, t);
        }
        assertThat(registry.all()).hasSize(1);
        Read read = (Read) registry.all().iterator().next();
        assertThat(name).matches(java.util.regex.Pattern.quote(read.system()) + "\\.ya?ml");
        wellFormed.accept(read);
    }

    /**
     * Fuzzes the files of one connector type: {@link org.dsrflow.fuzz.Fuzz#TRIES} files near {@code valid}, each
     * written as {@code name} and loaded; a file that gives a connector must give a spec that passes {@code wellFormed}.
     */
    public static <S> void fuzz(Path folder, String name, JsonNode valid, String type, BiFunction<String, JsonNode, S> reader,
                                java.util.function.Function<S, String> system, Consumer<S> wellFormed) {
        Map<String, ConnectorFactory> factories = Map.of(type, reading(type, (file, root) -> {
            S spec = reader.apply(file, root);
            return new Read(system.apply(spec), spec);
        }));
        @SuppressWarnings("unchecked")
        Consumer<Read> check = read -> wellFormed.accept((S) read.spec());
        Fuzz.check(Hostile.yamlNear(List.of(valid)), text -> load(folder, name, text, factories, check));
    }

    /** A shipped connector file (or a test one) as parsed, with its placeholders resolved. */
    public static JsonNode shipped(String resource) {
        try (var in = ConnectorFiles.class.getClassLoader().getResourceAsStream(resource)) {
            String text = ENVIRONMENT.resolveRequiredPlaceholders(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return new YAMLMapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
