package org.dsrflow.fulfilment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class CsvPartsTests {
    @Test
    void eachTableBecomesACsvWithQuotingAndNoFormulas() throws Exception {
        String part = """
                {"system": "crm", "tables": {
                  "contacts": {"purpose": "p", "records": [
                    {"id": 1, "name": "=HYPERLINK(\\"http://x\\")", "note": "said \\"hi\\", then left", "phone": null},
                    {"id": 2, "name": "-2", "note": "two\\nlines", "phone": "+86 138"}], "count": 2},
                  "empty": {"purpose": "p", "records": [], "count": 0}}}
                """;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            new CsvParts(new ObjectMapper()).add(zip, "crm", new ByteArrayInputStream(part.getBytes(StandardCharsets.UTF_8)));
        }
        Map<String, String> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(entries).containsOnlyKeys("csv/crm/contacts.csv");
        assertThat(entries.get("csv/crm/contacts.csv")).isEqualTo("id,name,note,phone\r\n"
                + "1,\"'=HYPERLINK(\"\"http://x\"\")\",\"said \"\"hi\"\", then left\",\r\n"
                + "2,'-2,\"two\nlines\",'+86 138\r\n");
    }
}
