package org.dsrflow.connector;

import java.util.Map;

/**
 * Why records are kept after an erasure request, under which law, and for how long (ISO-8601
 * period). The reason can be given per language ({@code en}, {@code zh}) so the reply speaks the
 * requester's language; the legal basis is cited as written.
 */
public record Retention(Map<String, String> reason, String legalBasis, String period) {

    public String reasonIn(String language) {
        String localized = reason.get(language);
        return localized != null ? localized : reason.getOrDefault("en", reason.values().iterator().next());
    }
}
