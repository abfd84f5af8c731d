package org.dsrflow.fulfilment;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Beside each system's JSON, the same records as one CSV file per table ({@code csv/<system>/<table>.csv}),
 * for people who open their data in a spreadsheet. Read from the JSON part as a stream: one record
 * in memory at a time. Text that a spreadsheet would run as a formula (starting with =, +, -, @)
 * is prefixed with an apostrophe.
 */
final class CsvParts {
    private final ObjectMapper json;

    CsvParts(ObjectMapper json) {
        this.json = json;
    }

    /** Adds the CSV entries of one system's JSON part to the package. */
    void add(ZipOutputStream zip, String system, InputStream part) throws IOException {
        try (JsonParser p = json.getFactory().createParser(part)) {
            p.setCodec(json);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (!"tables".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String table = p.currentName();
                    p.nextToken(); // the table's object
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        p.nextToken();
                        if ("records".equals(key) && p.currentToken() == JsonToken.START_ARRAY) {
                            writeTable(zip, system, table, p);
                        } else {
                            p.skipChildren();
                        }
                    }
                }
            }
        }
    }

    private void writeTable(ZipOutputStream zip, String system, String table, JsonParser p) throws IOException {
        List<String> header = null;
        OutputStream out = null;
        while (p.nextToken() == JsonToken.START_OBJECT) {
            JsonNode record = p.readValueAsTree();
            if (header == null) {
                header = new ArrayList<>();
                for (Iterator<String> names = record.fieldNames(); names.hasNext(); ) {
                    header.add(names.next());
                }
                zip.putNextEntry(new ZipEntry("csv/" + system + "/" + table + ".csv"));
                out = zip;
                line(out, header.stream().map(CsvParts::cell).toList());
            }
            List<String> cells = new ArrayList<>(header.size());
            for (String column : header) {
                cells.add(value(record.get(column)));
            }
            line(out, cells);
        }
        if (header != null) {
            zip.closeEntry();
        }
    }

    private static String value(JsonNode v) {
        if (v == null || v.isNull()) {
            return "";
        }
        if (v.isTextual()) {
            String text = v.asText();
            boolean formula = !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0;
            return cell(formula ? "'" + text : text);
        }
        return cell(v.isValueNode() ? v.asText() : v.toString());
    }

    /** RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled. */
    static String cell(String text) {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    private static void line(OutputStream out, List<String> cells) throws IOException {
        out.write(String.join(",", cells).getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }
}
