package org.dsrflow.intake;

/** A request that cannot be accepted as it is; the message says what to fix. Nothing was stored. */
public class InvalidRequestException extends RuntimeException {
    private final String field;

    public InvalidRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
