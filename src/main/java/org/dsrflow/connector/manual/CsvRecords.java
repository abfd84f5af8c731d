package org.dsrflow.connector.manual;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads the CSV an owner uploads (RFC 4180: comma-separated, double quotes around fields that
 * hold commas, quotes or line breaks; first line the column names) one record at a time.
 */
final class CsvRecords {
    private static final int MAX_FIELD = 64 * 1024;
    private static final int MAX_COLUMNS = 1000;

    private CsvRecords() {
    }

    /** Feeds each row as column name to value; returns the number of rows. A malformed file is an IllegalArgumentException naming the line. */
    static long read(Reader in, Consumer<Map<String, Object>> rows) throws IOException {
        List<String> header = null;
        long count = 0;
        int line = 1;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int c;
        while ((c = in.read()) != -1) {
            any = true;
            if (quoted) {
                if (c == '"') {
                    in.mark(1);
                    int next = in.read();
                    if (next == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        if (next != -1) {
                            in.reset();
                        }
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append((char) c);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                if (fields.size() > MAX_COLUMNS) {
                    throw new IllegalArgumentException("line " + line + ": more than " + MAX_COLUMNS + " columns");
                }
            } else if (c == '\n') {
                fields.add(stripCr(field));
                field.setLength(0);
                if (header == null) {
                    header = List.copyOf(fields);
                } else if (!(fields.size() == 1 && fields.get(0).isEmpty())) {
                    rows.accept(row(header, fields, line));
                    count++;
                }
                fields.clear();
                line++;
            } else {
                field.append((char) c);
            }
            if (field.length() > MAX_FIELD) {
                throw new IllegalArgumentException("line " + line + ": a field longer than " + MAX_FIELD + " characters");
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("line " + line + ": a quoted field is not closed");
        }
        if (any && (!field.isEmpty() || !fields.isEmpty())) {
            fields.add(stripCr(field));
            if (header == null) {
                header = List.copyOf(fields);
            } else {
                rows.accept(row(header, fields, line));
                count++;
            }
        }
        return count;
    }

    private static String stripCr(StringBuilder field) {
        int n = field.length();
        return n > 0 && field.charAt(n - 1) == '\r' ? field.substring(0, n - 1) : field.toString();
    }

    private static Map<String, Object> row(List<String> header, List<String> fields, int line) {
        if (fields.size() != header.size()) {
            throw new IllegalArgumentException("line " + line + ": " + fields.size() + " fields, the first line names " + header.size());
        }
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            row.put(header.get(i), fields.get(i));
        }
        return row;
    }
}
