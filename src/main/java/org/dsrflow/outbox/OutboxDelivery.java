package org.dsrflow.outbox;

import java.io.UnsupportedEncodingException;
import java.util.Date;
import java.util.Properties;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.dsrflow.DsrflowSettings;
import org.springframework.stereotype.Component;

/** Turns outbox items into what the transports take: a MIME message for SMTP, a keyed record for Kafka. */
@Component("outboxDelivery")
public class OutboxDelivery {
    private static final Session SESSION = Session.getInstance(new Properties());

    private final Outbox outbox;
    private final DsrflowSettings settings;

    OutboxDelivery(Outbox outbox, DsrflowSettings settings) {
        this.outbox = outbox;
        this.settings = settings;
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
        if (mail.inReplyTo() != null) {
            message.setHeader("In-Reply-To", mail.inReplyTo());
        }
        if (mail.references() != null && !mail.references().isEmpty()) {
            message.setHeader("References", String.join(" ", mail.references()));
        }
        message.saveChanges();
        return message;
    }

    /** Case events are keyed by case id so one case's events stay in order on one partition. */
    public String toEventRecord(OutboxItem item, Exchange exchange) {
        exchange.getIn().setHeader(KafkaConstants.KEY, item.caseId());
        return item.payload();
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
