package org.dsrflow.connector;

import java.util.Map;

/** Receives exported records one at a time, so an export never has to fit in memory. */
public interface RecordSink {
    void startTable(String table, String purpose);

    void record(Map<String, Object> columns);

    void endTable(String table, long count);
}
