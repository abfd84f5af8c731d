package org.dsrflow.connector;

import java.util.Locale;
import java.util.Map;

/** Whom a request is about, by the identifiers systems can look them up with. */
public record Subject(String email) {
    public Subject {
        if (email == null || email.isBlank()) {
            throw new IllegalArgumentException("a subject needs an email address");
        }
        email = email.trim().toLowerCase(Locale.ROOT);
    }

    /** Identifier type -> value, the vocabulary connector files use in {@code match}. */
    public Map<String, String> identifiers() {
        return Map.of("email", email);
    }
}
