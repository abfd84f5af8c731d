package org.dsrflow.tickets;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.dsrflow.cases.CaseMoved;
import org.dsrflow.cases.DsrCase;
import org.dsrflow.intake.IntakeSettings;
import org.dsrflow.outbox.Outbox;
import org.dsrflow.reply.MailComposer;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps the support team's ticket up to date: each move of a case that came from a ticket queues
 * an update (status, due date and a comment in the ticket's language) for the updates topic and,
 * when the source has one, its callback URL. Queued in the move's own transaction, sent by the
 * outbox, so an update is never lost nor sent for a move that rolled back.
 */
@Component
public class TicketUpdates {
    private final Outbox outbox;
    private final MailComposer texts;
    private final IntakeSettings settings;

    TicketUpdates(Outbox outbox, MailComposer texts, IntakeSettings settings) {
        this.outbox = outbox;
        this.texts = texts;
        this.settings = settings;
    }

    @EventListener
    public void caseMoved(CaseMoved moved) {
        DsrCase c = moved.current();
        if (c.sourceSystem() == null) {
            return;
        }
        queue(c.sourceSystem(), c.sourceTicketId(), c, texts.ticketComment(c, moved.from() == null, null), c.state().name(), moved.at());
    }

    /** A second ticket about a request the person already has open is told which case it joined. */
    public void joined(String source, String ticketId, DsrCase open) {
        queue(source, ticketId, open, joinedComment(open), "JOINED", Instant.now());
    }

    private String joinedComment(DsrCase open) {
        return ("zh".equals(open.language()) ? "此请求已并入正在处理的隐私请求 " : "This request joined the open privacy request ")
                + open.id() + ("zh".equals(open.language()) ? "。" : ".");
    }

    private void queue(String source, String ticketId, DsrCase c, String comment, String status, Instant at) {
        Map<String, Object> update = new LinkedHashMap<>();
        update.put("version", 1);
        update.put("source", source);
        update.put("ticketId", ticketId);
        update.put("caseId", c.id());
        update.put("type", c.type().name());
        update.put("status", status);
        update.put("language", c.language());
        update.put("comment", comment);
        update.put("dueAt", c.dueAt() == null ? null : c.dueAt().toString());
        update.put("at", at.toString());
        outbox.enqueueTicketUpdate(c.id(), update);
        IntakeSettings.Source configured = settings.tickets().sources().get(source);
        if (configured != null && configured.callbackUrl() != null && !configured.callbackUrl().isBlank()) {
            outbox.enqueueTicketCallback(c.id(), update);
        }
    }
}
