package org.dsrflow.connector;

/** Why records are kept after an erasure request, under which law, and for how long (ISO-8601 period). */
public record Retention(String reason, String legalBasis, String period) {
}
