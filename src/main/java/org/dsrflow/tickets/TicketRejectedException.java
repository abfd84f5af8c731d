package org.dsrflow.tickets;

import org.dsrflow.ApiRefusal;

/** A ticket we will not take in: unsigned, wrongly signed, malformed or too large. Nothing of it is stored as a case. */
public class TicketRejectedException extends ApiRefusal {
    public TicketRejectedException(String reason, int status, String message) {
        super(status, reason, message, false);
    }

    public String reason() {
        return error();
    }
}
