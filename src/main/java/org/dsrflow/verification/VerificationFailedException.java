package org.dsrflow.verification;

/** A confirmation attempt that did not verify the case; {@code reason} is a stable code for clients. */
public class VerificationFailedException extends RuntimeException {
    private final String reason;
    private final int status;

    public VerificationFailedException(String reason, int status, String message) {
        super(message);
        this.reason = reason;
        this.status = status;
    }

    public String reason() {
        return reason;
    }

    public int status() {
        return status;
    }
}
