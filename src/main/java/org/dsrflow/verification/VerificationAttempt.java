package org.dsrflow.verification;

import java.util.Map;

/**
 * What a person sent to prove the address is theirs: the code from the mail, or the link's token;
 * and, for a deletion that needs more, data points from their account (e.g. {@code phone}).
 */
public record VerificationAttempt(String reference, String code, String token, Map<String, String> dataPoints) {
    public VerificationAttempt {
        dataPoints = dataPoints == null ? Map.of() : Map.copyOf(dataPoints);
    }

    public VerificationAttempt(String reference, String code, String token) {
        this(reference, code, token, Map.of());
    }
}
