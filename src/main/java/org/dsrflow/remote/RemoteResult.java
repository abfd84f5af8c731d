package org.dsrflow.remote;

import java.util.List;
import java.util.Map;

/**
 * A remote system's answer to a {@link RemoteTask}, published as JSON to the system's results
 * topic, keyed by the task id. An export's records travel in {@code records} messages (numbered
 * from 0 by {@code seq}); the {@code result} message closes the task and says how many record
 * messages came before it, so dsrflow can tell a complete export from one still arriving.
 *
 * @param protocol  always {@link RemoteProtocol#RESULT_PROTOCOL}
 * @param kind      {@code records} or {@code result}
 * @param seq       for {@code records}: 0, 1, 2 ...
 * @param dataset   for {@code records}: the dataset the records belong to
 * @param records   for {@code records}: the records, each a flat JSON object
 * @param status    for {@code result}: {@code done}, {@code not-found}, {@code retained}, {@code failed} or {@code rejected}
 * @param chunks    for {@code result}: the number of {@code records} messages sent for this task
 * @param datasets  for {@code result}: per dataset, records exported or rows erased and how
 * @param remaining for {@code result} of erase and verify-erased: records still findable per dataset
 * @param error     for {@code failed} and {@code rejected}: what went wrong, and whether a retry may help
 */
public record RemoteResult(String protocol, String taskId, String system, String kind, Integer seq, String dataset,
                           List<Map<String, Object>> records, String status, Integer chunks, List<DatasetResult> datasets,
                           Map<String, Long> remaining, ErrorInfo error) {

    /** One dataset's part of a result. {@code outcome} is {@code anonymized}, {@code deleted} or {@code retained}. */
    public record DatasetResult(String name, String purpose, Long records, String outcome, Long rows, RetentionInfo retention) {
    }

    /** Why erased rows were kept: the reason, the law, for how long (ISO-8601 period). */
    public record RetentionInfo(String reason, String legalBasis, String period) {
    }

    public record ErrorInfo(String message, boolean retriable) {
    }

    public static RemoteResult records(String taskId, String system, int seq, String dataset, List<Map<String, Object>> records) {
        return new RemoteResult(RemoteProtocol.RESULT_PROTOCOL, taskId, system, RemoteProtocol.KIND_RECORDS, seq, dataset, records,
                null, null, null, null, null);
    }

    public static RemoteResult result(String taskId, String system, String status, int chunks, List<DatasetResult> datasets,
                                      Map<String, Long> remaining, ErrorInfo error) {
        return new RemoteResult(RemoteProtocol.RESULT_PROTOCOL, taskId, system, RemoteProtocol.KIND_RESULT, null, null, null,
                status, chunks, datasets, remaining, error);
    }

    public boolean isFinal() {
        return RemoteProtocol.KIND_RESULT.equals(kind);
    }
}
