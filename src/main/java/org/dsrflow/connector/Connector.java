package org.dsrflow.connector;

/**
 * One connected system that holds personal data. Every connector type (jdbc now; http, kafka and
 * manual later) answers the same four questions, so fulfilment never cares which kind it talks to.
 */
public interface Connector {

    String system();

    /** What the system holds and why, for the export manifest. */
    ConnectorDescription describe();

    /** Reachable, and its schema is what the description says. Never throws: problems are listed. */
    ConnectorCheck check();

    /** Streams every record that belongs to the subject into the sink; returns counts per table. */
    ExportSummary export(Subject subject, RecordSink sink);

    /** Anonymizes or deletes the subject's records; running it again changes nothing. */
    ErasureReport erase(Subject subject);

    /** Proof: how many records can still be found for the subject (all zero after erasure). */
    VerifyReport verifyErased(Subject subject);

    /** The account system's lookups, if this connector's file declares itself the identity source. */
    default java.util.Optional<IdentitySource> identity() {
        return java.util.Optional.empty();
    }
}
