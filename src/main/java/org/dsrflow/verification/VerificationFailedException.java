package org.dsrflow.verification;

import org.dsrflow.ApiRefusal;

/** A confirmation attempt that did not verify the case; {@code reason} is a stable code for clients. */
public class VerificationFailedException extends ApiRefusal {
    public VerificationFailedException(String reason, int status, String message) {
        super(status, reason, message);
    }

    public String reason() {
        return error();
    }
}
