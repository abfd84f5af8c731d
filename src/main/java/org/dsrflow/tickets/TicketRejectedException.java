package org.dsrflow.tickets;

/** A ticket we will not take in: unsigned, wrongly signed, malformed or too large. Nothing of it is stored as a case. */
public class TicketRejectedException extends RuntimeException {
    private final String reason;
    private final int status;

    public TicketRejectedException(String reason, int status, String message) {
        super(message, null, false, false);
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
