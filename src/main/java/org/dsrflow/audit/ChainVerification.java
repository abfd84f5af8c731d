package org.dsrflow.audit;

/** The result of walking the audit chain: intact, or the first row that is not. */
public record ChainVerification(boolean intact, long rowsChecked, Long firstBrokenSeq, String problem) {
}
