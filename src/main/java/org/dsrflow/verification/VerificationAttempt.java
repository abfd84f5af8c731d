package org.dsrflow.verification;

/** What a person sent to prove the address is theirs: the code from the mail, or the link's token. */
public record VerificationAttempt(String reference, String code, String token) {
}
