package org.dsrflow.remote.client;

import java.util.List;
import java.util.Map;

/**
 * What a backend team writes to connect its service to dsrflow: three lookups over its own data,
 * for one person identified by {@code subject} (identifier type to value, e.g. {@code email}).
 * The {@link TaskWorker} does the rest — reading tasks, sending records in pieces, answering
 * malformed tasks, retries. Throw {@link PermanentFailure} when retrying cannot help; any other
 * exception is reported to dsrflow as a failure worth retrying.
 */
public interface PersonalDataHandler {

    /** Writes every record the service holds about the person, dataset by dataset. */
    void export(Map<String, String> subject, ExportWriter out) throws Exception;

    /**
     * Anonymizes or deletes the person's records and says what happened per dataset. Must be
     * idempotent: a second call for the same person finds nothing left to change and reports 0 rows.
     */
    List<DatasetErasure> erase(Map<String, String> subject) throws Exception;

    /** Looks again, as export would, and counts what can still be found per dataset (all 0 after erasure). */
    Map<String, Long> remaining(Map<String, String> subject) throws Exception;

    /** Receives exported records; a writer sends them on in pieces, so an export never has to fit in memory. */
    interface ExportWriter {
        void record(String dataset, Map<String, Object> record);
    }

    /** A failure that a retry cannot cure (the person's data is in a state the service cannot handle, say). */
    class PermanentFailure extends RuntimeException {
        public PermanentFailure(String message) {
            super(message);
        }
    }
}
