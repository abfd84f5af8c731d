package org.dsrflow.remote.client;

/**
 * What an erasure did in one dataset. {@code outcome} is {@code anonymized}, {@code deleted} or
 * {@code retained}; retained rows carry the reason, the law that requires keeping them and for how
 * long (an ISO-8601 period such as {@code P10Y}).
 */
public record DatasetErasure(String dataset, String outcome, long rows, String reason, String legalBasis, String period) {

    public static DatasetErasure anonymized(String dataset, long rows) {
        return new DatasetErasure(dataset, "anonymized", rows, null, null, null);
    }

    public static DatasetErasure deleted(String dataset, long rows) {
        return new DatasetErasure(dataset, "deleted", rows, null, null, null);
    }

    public static DatasetErasure retained(String dataset, long rows, String reason, String legalBasis, String period) {
        return new DatasetErasure(dataset, "retained", rows, reason, legalBasis, period);
    }
}
