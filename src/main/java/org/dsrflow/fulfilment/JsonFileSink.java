package org.dsrflow.fulfilment;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dsrflow.connector.RecordSink;

/** Writes one system's export as {@code {"system":..,"tables":{"t":{"purpose":..,"records":[..]}}}} while rows arrive. */
class JsonFileSink implements RecordSink, AutoCloseable {
    private final JsonGenerator out;

    JsonFileSink(ObjectMapper mapper, OutputStream stream, String system) {
        try {
            this.out = mapper.getFactory().createGenerator(stream, JsonEncoding.UTF8).useDefaultPrettyPrinter();
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
            out.writeObject(columns);
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

    @Override
    public void close() throws IOException {
        out.writeEndObject();
        out.writeEndObject();
        out.close();
    }
}
