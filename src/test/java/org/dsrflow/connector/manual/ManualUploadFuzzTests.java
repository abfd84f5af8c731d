package org.dsrflow.connector.manual;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.dsrflow.fuzz.Fuzz;
import org.dsrflow.fuzz.Hostile;
import org.dsrflow.verification.TestSecrets;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.generators.Generate;

/**
 * What the owner of a manual system sends: the CSV files of an export ({@link CsvRecords#read}, read
 * as {@code ManualTaskController} reads an upload) and the signed link to the report page
 * ({@link ManualLinks#taskId}).
 */
class ManualUploadFuzzTests {

    @Test
    void anyUploadIsRowsOrARefusalSayingWhichLine() {
        Fuzz.check(uploads(), csv -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            Fuzz.expect(() -> CsvRecords.read(new BufferedReader(new InputStreamReader(new ByteArrayInputStream(csv), StandardCharsets.UTF_8)),
                    rows::add), count -> {
                assertThat(count).isEqualTo(rows.size());
                if (!rows.isEmpty()) {
                    int columns = rows.get(0).size();
                    rows.forEach(row -> assertThat(row).hasSize(columns).allSatisfy((name, value) -> assertThat(value).isInstanceOf(String.class)));
                }
            }, refusal -> assertThat(refusal.getMessage()).matches("line \\d+: .+"), IllegalArgumentException.class);
        });
    }

    @Test
    void anyLinkTokenOpensOnlyTheTaskItWasSignedFor() {
        ManualLinks links = new ManualLinks(TestSecrets.keyedWith("fuzz-test-secret"), "https://privacy.example.com");
        Gen<String> tokens = in -> switch (Hostile.draw(in, 4)) {
            case 0 -> Hostile.text().generate(in);
            case 1 -> {
                String link = links.link(Hostile.text().generate(in));
                yield link.substring(link.indexOf("/manual/") + 8);
            }
            case 2 -> {
                String link = links.link("mt-" + Hostile.draw(in, 1_000));
                String token = link.substring(link.indexOf("/manual/") + 8);
                int at = Hostile.draw(in, token.length() - 1);
                yield token.substring(0, at) + Hostile.pick(in, List.of("", "0", ".", "A", "\u0000")) + token.substring(at + 1);
            }
            default -> Hostile.text().generate(in) + "." + Hostile.text().generate(in);
        };
        Fuzz.check(tokens, token -> Fuzz.expect(() -> links.taskId(token), (Optional<String> taskId) ->
                taskId.ifPresent(id -> assertThat(links.link(id)).endsWith("/manual/" + token))));
    }

    /** CSV as owners upload it (quoted fields, CRLF, a BOM) and broken in every way a file can be. */
    static Gen<byte[]> uploads() {
        return Generate.frequency(List.of(
                Pair.of(6, ManualUploadFuzzTests::csv),
                Pair.of(2, Hostile.bytes()),
                Pair.of(1, Hostile.text().map(t -> t.getBytes(StandardCharsets.UTF_8)))));
    }

    private static byte[] csv(RandomnessSource in) {
        int columns = 1 + Hostile.draw(in, Hostile.draw(in, 20) == 0 ? 1_100 : 6);
        int lines = Hostile.draw(in, 6);
        String newline = Hostile.pick(in, List.of("\n", "\r\n", "\r", "\n\n"));
        StringBuilder out = new StringBuilder(Hostile.draw(in, 8) == 0 ? "\ufeff" : "");
        for (int line = 0; line <= lines; line++) {
            int fields = Hostile.draw(in, 10) == 0 ? Hostile.draw(in, columns + 2) : columns;
            for (int f = 0; f < fields; f++) {
                if (f > 0) {
                    out.append(',');
                }
                out.append(field(in, line == 0 ? "column" + f : "value " + f, columns > 10));
            }
            out.append(newline);
        }
        if (Hostile.draw(in, 4) == 0) {
            out.setLength(Hostile.draw(in, out.length()));
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String field(RandomnessSource in, String plain, boolean wide) {
        return switch (wide ? 9 : Hostile.draw(in, 9)) {
            case 0 -> Hostile.text().generate(in);
            case 1 -> "\"" + Hostile.text().generate(in).replace("\"", "\"\"") + "\"";
            case 2 -> "\"" + Hostile.text().generate(in);
            case 3 -> "\"a\"\"b\"c\"";
            case 4 -> Hostile.draw(in, 5) == 0 ? "\"" + "x".repeat(60_000 + Hostile.draw(in, 10_000)) + "\"" : plain;
            default -> plain;
        };
    }
}
