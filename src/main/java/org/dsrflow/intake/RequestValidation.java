package org.dsrflow.intake;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Field rules every channel applies, so a case never holds a value we would not act on. */
public final class RequestValidation {
    public static final int MAX_EMAIL_LENGTH = 254;
    public static final Set<String> LANGUAGES = Set.of("en", "zh");
    // Deliberately narrower than RFC 5322: quoted local parts and IP literals are refused, which
    // keeps header-injection and SQL-looking strings out and fits every real mailbox we serve.
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?"
            + "@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");

    private RequestValidation() {
    }

    public static String email(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(field, "Please give an email address.");
        }
        if (value.length() > MAX_EMAIL_LENGTH) {
            throw new InvalidRequestException(field, "An email address has at most " + MAX_EMAIL_LENGTH + " characters.");
        }
        String trimmed = value.trim();
        if (!EMAIL.matcher(trimmed).matches() || trimmed.contains("..")) {
            throw new InvalidRequestException(field, "This is not an email address we can write to: use the form name@example.com.");
        }
        return trimmed.toLowerCase(Locale.ROOT);
    }

    public static String language(String field, String value) {
        if (value == null || value.isBlank()) {
            return "en";
        }
        String normalised = value.trim().toLowerCase(Locale.ROOT);
        if (!LANGUAGES.contains(normalised)) {
            throw new InvalidRequestException(field, "Language must be 'en' (English) or 'zh' (中文).");
        }
        return normalised;
    }
}
