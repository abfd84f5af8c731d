package org.dsrflow.fulfilment;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dsrflow.connector.RecordSink;

/** Writes one system's export as {@code {"system":..,"tables":{"t":{"purpose":..,"records":[..]}}}} while rows arrive. */
class JsonFileSink implements RecordSink, AutoCloseable {
    private final JsonGenerator out;
    /** Column names already encoded: a table's names repeat on every one of its rows. */
    private final Map<String, SerializedString> names = new java.util.HashMap<>();

    JsonFileSink(ObjectMapper mapper, OutputStream stream, String system) {
        try {
            this.out = mapper.getFactory().createGenerator(stream, JsonEncoding.UTF8);
            out.setPrettyPrinter(new RecordPerLine());
            out.writeStartObject();
            out.writeStringField("system", system);
            out.writeObjectFieldStart("tables");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void startTable(String table, String purpose) {
        try {
            out.writeObjectFieldStart(table);
            out.writeStringField("purpose", purpose);
            out.writeArrayFieldStart("records");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void record(Map<String, Object> columns) {
        try {
            // the common column types written directly: a million-row export spends its time here
            out.writeStartObject();
            for (Map.Entry<String, Object> column : columns.entrySet()) {
                out.writeFieldName(names.computeIfAbsent(column.getKey(), SerializedString::new));
                Object value = column.getValue();
                if (value == null) {
                    out.writeNull();
                } else if (value instanceof String text) {
                    out.writeString(text);
                } else if (value instanceof Long || value instanceof Integer || value instanceof Short) {
                    out.writeNumber(((Number) value).longValue());
                } else if (value instanceof Boolean flag) {
                    out.writeBoolean(flag);
                } else {
                    out.writeObject(value);
                }
            }
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void endTable(String table, long count) {
        try {
            out.writeEndArray();
            out.writeNumberField("count", count);
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Compact JSON with every record on a line of its own: a third of the size of indented JSON
     * (fewer bytes to encrypt and write), and still readable line by line in an editor.
     */
    private static final class RecordPerLine extends MinimalPrettyPrinter {
        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(",\n");
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            g.writeRaw(values > 0 ? "\n]" : "]");
        }
    }

    @Override
    public void close() throws IOException {
        out.writeEndObject();
        out.writeEndObject();
        out.close();
    }
}
