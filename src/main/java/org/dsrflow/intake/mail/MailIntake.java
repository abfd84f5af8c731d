package org.dsrflow.intake.mail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.mail.FolderClosedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.StoreClosedException;
import org.apache.camel.Exchange;
import org.apache.camel.component.mail.MailConstants;
import org.dsrflow.DsrflowSettings;
import org.dsrflow.LogSafe;
import org.dsrflow.audit.AuditLog;
import org.dsrflow.intake.IntakeSettings;
import org.dsrflow.intake.QuarantineStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The mail route's steps: fetch a mail from the mailbox (within the size limit), read it, and
 * record what could not become a request. Decides the folder a mail is moved to once handled.
 */
@Component("mailIntake")
public class MailIntake {
    /** A mail whose processing failed this often (a bug, not an outage) is quarantined rather than retried for ever. */
    static final int MAX_FAILURES = 5;
    private static final Logger log = LoggerFactory.getLogger(MailIntake.class);

    private final MailReader reader;
    private final QuarantineStore quarantine;
    private final AuditLog audit;
    private final IntakeSettings.MailChannel settings;
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();

    MailIntake(DsrflowSettings dsrflow, IntakeSettings intake, QuarantineStore quarantine, AuditLog audit) {
        this.settings = intake.mail();
        this.reader = new MailReader(dsrflow.mail().from(), settings.agents(), settings.maxTextChars());
        this.quarantine = quarantine;
        this.audit = audit;
    }

    /** Reads a mail of the mailbox; a mail over the size limit is not downloaded at all. */
    public InboundMail read(Message message, Exchange exchange) throws MessagingException {
        exchange.getIn().setHeader(MailConstants.MAIL_MOVE_TO, settings.processedFolder());
        long limit = settings.maxSize().toBytes();
        long size = message.getSize();
        String messageId = MailReader.messageId(first(message.getHeader("Message-ID")));
        String key = messageId != null ? "mid:" + messageId : "hdr:" + headerFingerprint(message, size);
        if (size > limit) {
            return InboundMail.quarantine(key, "larger than the " + settings.maxSize() + " limit (" + size + " bytes); not read", size, null);
        }
        byte[] raw;
        try {
            BoundedBuffer buffer = new BoundedBuffer(limit);
            message.writeTo(buffer);
            raw = buffer.toByteArray();
        } catch (BoundedBuffer.Overflow e) {
            return InboundMail.quarantine(key, "larger than the " + settings.maxSize() + " limit; not read", size, null);
        } catch (FolderClosedException | StoreClosedException e) {
            throw e;
        } catch (MessagingException | IOException e) {
            if (e.getCause() instanceof BoundedBuffer.Overflow) {
                return InboundMail.quarantine(key, "larger than the " + settings.maxSize() + " limit; not read", size, null);
            }
            if (e.getCause() instanceof SocketException || e instanceof SocketException) {
                throw new MessagingException("mailbox connection lost while fetching; will retry", e);
            }
            return InboundMail.quarantine(key, "the mail could not be fetched (" + e.getClass().getSimpleName() + ")", size, null);
        }
        InboundMail mail = reader.read(raw);
        if (failures.getOrDefault(mail.key(), 0) >= MAX_FAILURES) {
            return InboundMail.quarantine(mail.key(), "processing failed " + MAX_FAILURES + " times; kept for a person to look at",
                    raw.length, raw);
        }
        return mail;
    }

    public void ignored(InboundMail mail) {
        audit.append(null, "intake:email", "intake.ignored", Map.of("reason", mail.reason()));
        log.info("Mail not answered: {}", mail.reason());
    }

    public void quarantined(InboundMail mail, Exchange exchange) {
        quarantine.put("EMAIL", null, mail.key(), mail.reason(), mail.size(), mail.raw());
        exchange.getIn().setHeader(MailConstants.MAIL_MOVE_TO, settings.quarantineFolder());
    }

    public void processed(InboundMail mail) {
        failures.remove(mail.key());
    }

    /**
     * Counts a failed attempt and fails the exchange again, so the mail stays in the mailbox and is
     * read on the next poll (an outage passes). After {@link #MAX_FAILURES} the next read quarantines it.
     */
    public void failed(String key, Exception cause) throws Exception {
        int n = failures.merge(key == null ? "?" : key, 1, Integer::sum);
        log.warn("Mail intake failed (attempt {} of {}), the mail stays in the mailbox: {}", n, MAX_FAILURES,
                LogSafe.redact(String.valueOf(cause)));
        throw cause;
    }

    private static String headerFingerprint(Message message, long size) {
        StringBuilder s = new StringBuilder().append(size);
        for (String name : new String[] {"From", "Date", "Subject", "To"}) {
            try {
                s.append('\n').append(first(message.getHeader(name)));
            } catch (MessagingException e) {
                s.append("\n?");
            }
        }
        return MailReader.sha256(s.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String first(String[] values) {
        return values == null || values.length == 0 ? null : values[0];
    }

    /** Collects a mail's bytes and stops at the limit instead of filling the heap. */
    static final class BoundedBuffer extends OutputStream {
        static final class Overflow extends IOException {
            Overflow() {
                super("limit reached", null);
            }
        }

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final long limit;

        BoundedBuffer(long limit) {
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            check(1);
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            check(len);
            bytes.write(b, off, len);
        }

        private void check(int more) throws Overflow {
            if (bytes.size() + (long) more > limit) {
                throw new Overflow();
            }
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }
}
