package org.dsrflow.outbox;

import java.io.UnsupportedEncodingException;
import java.util.Date;
import java.util.List;
import java.util.Properties;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;
import org.apache.camel.component.kafka.KafkaConstants;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.dsrflow.DsrflowSettings;
import org.dsrflow.intake.IntakeSettings;
import org.dsrflow.tickets.TicketSignature;
import org.springframework.stereotype.Component;

/** Turns outbox items into what the transports take: a MIME message for SMTP, a keyed record for Kafka. */
@Component("outboxDelivery")
public class OutboxDelivery {
    private static final Session SESSION = Session.getInstance(new Properties());

    private final Outbox outbox;
    private final DsrflowSettings settings;
    private final IntakeSettings intake;
    private final com.fasterxml.jackson.databind.ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(5)).build();

    OutboxDelivery(Outbox outbox, DsrflowSettings settings, IntakeSettings intake, com.fasterxml.jackson.databind.ObjectMapper json) {
        this.outbox = outbox;
        this.settings = settings;
        this.intake = intake;
        this.json = json;
    }

    public MimeMessage toMimeMessage(OutboxItem item) throws MessagingException, UnsupportedEncodingException {
        OutgoingMail mail = outbox.read(item, OutgoingMail.class);
        MimeMessage message = new FixedIdMimeMessage(SESSION, mail.messageId());
        message.setFrom(new InternetAddress(settings.mail().from(), settings.mail().fromName(), "UTF-8"));
        message.setRecipients(jakarta.mail.Message.RecipientType.TO, InternetAddress.parse(mail.to(), true));
        if (mail.cc() != null && !mail.cc().isEmpty()) {
            message.setRecipients(jakarta.mail.Message.RecipientType.CC, InternetAddress.parse(String.join(",", mail.cc()), true));
        }
        message.setSubject(mail.subject(), "UTF-8");
        message.setText(mail.body(), "UTF-8", "plain");
        message.setSentDate(new Date());
        // RFC 3834: marks the mail as machine-written so well-behaved auto-responders do not answer it.
        message.setHeader("Auto-Submitted", "auto-generated");
        // marks our own mails, so the mailbox never answers one that finds its way back
        message.setHeader("X-Dsrflow-Mail", item.caseId() == null ? "-" : item.caseId());
        if (mail.inReplyTo() != null) {
            message.setHeader("In-Reply-To", mail.inReplyTo());
        }
        if (mail.references() != null && !mail.references().isEmpty()) {
            message.setHeader("References", String.join(" ", mail.references()));
        }
        message.saveChanges();
        return message;
    }

    /**
     * A batch of case events as the Kafka producer sends a list: one message each, keyed by case id
     * so that one case's events stay in order on one partition.
     */
    public List<Message> toEventBatch(List<OutboxItem> items, Exchange exchange) {
        List<Message> records = new java.util.ArrayList<>(items.size());
        for (OutboxItem item : items) {
            Message record = new DefaultMessage(exchange.getContext());
            record.setHeader(KafkaConstants.KEY, item.caseId());
            record.setBody(item.payload());
            records.add(record);
        }
        return records;
    }

    /** Ticket updates are keyed by source and ticket so one ticket's updates stay in order. */
    public String toTicketUpdateRecord(OutboxItem item, Exchange exchange) throws java.io.IOException {
        com.fasterxml.jackson.databind.JsonNode update = json.readTree(item.payload());
        exchange.getIn().setHeader(KafkaConstants.KEY, update.path("source").asText() + ":" + update.path("ticketId").asText());
        return item.payload();
    }

    /**
     * Posts a ticket update to its source's callback URL, signed with the source's secret. Anything
     * but a 2xx answer is a failure the outbox retries.
     */
    public void postCallback(OutboxItem item) throws Exception {
        com.fasterxml.jackson.databind.JsonNode update = json.readTree(item.payload());
        IntakeSettings.Source source = intake.tickets().sources().get(update.path("source").asText());
        if (source == null || source.callbackUrl() == null || source.callbackUrl().isBlank()) {
            // the callback was switched off after the update was queued: nothing to deliver to
            return;
        }
        byte[] body = item.payload().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.time.Duration timeout = source.callbackTimeout() == null ? java.time.Duration.ofSeconds(10) : source.callbackTimeout();
        HttpRequest request = HttpRequest.newBuilder(URI.create(source.callbackUrl()))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header(TicketSignature.HEADER, TicketSignature.sign(source.secret(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("ticket callback answered HTTP " + response.statusCode());
        }
    }

    /** Keeps the Message-ID we chose (and stored for threading) instead of the one JavaMail would invent. */
    static final class FixedIdMimeMessage extends MimeMessage {
        private final String messageId;

        FixedIdMimeMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
