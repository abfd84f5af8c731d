package org.dsrflow;

/**
 * A request refused with an HTTP status, a stable error code for clients and a sentence for
 * people. The API answers it as {@code {"error": code, "message": sentence}}.
 */
public class ApiRefusal extends RuntimeException {
    private final int status;
    private final String error;

    public ApiRefusal(int status, String error, String message) {
        this(status, error, message, true);
    }

    /** Without a stack trace: for refusals that are routine (a flood of bad tickets should not cost stack walks). */
    protected ApiRefusal(int status, String error, String message, boolean stackTrace) {
        super(message, null, false, stackTrace);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }
}
