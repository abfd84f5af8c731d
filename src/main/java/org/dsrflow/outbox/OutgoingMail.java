package org.dsrflow.outbox;

import java.util.List;

/** A mail as queued in the outbox; the Message-ID is fixed before sending so a resend is recognisably the same mail. */
public record OutgoingMail(String to, List<String> cc, String subject, String body, String messageId, String inReplyTo,
                           List<String> references) {
}
