package org.dsrflow.web;

/** A request the API refuses with a status, a stable error code and a sentence for people. */
public class ApiRefusal extends RuntimeException {
    private final int status;
    private final String error;

    public ApiRefusal(int status, String error, String message) {
        super(message);
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
