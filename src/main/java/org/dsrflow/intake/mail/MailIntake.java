package org.dsrflow.intake.mail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.mail.FetchProfile;
import jakarta.mail.FolderClosedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.StoreClosedException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.mail.MailMessage;
import org.apache.camel.support.DefaultMessage;
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
public class MailIntake implements Processor {
    /** The header naming a mail in the idempotent repository. */
    public static final String KEY_HEADER = "dsrMailKey";
    /** A mail whose processing failed this often (a bug, not an outage) is quarantined rather than retried for ever. */
    static final int MAX_FAILURES = 5;
    /** At most this much of a quarantined mail's header section is kept in the case store. */
    static final int MAX_KEPT_HEADER_BYTES = 16 * 1024;
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

    /**
     * The route's first step: swaps the consumer's mail message for a plain one holding what
     * {@link #read} made of it. The consumer's message fills its headers from the IMAP envelope,
     * which a server may be unable to build for a malformed mail; touching them would fail the
     * exchange before the mail could be quarantined. The consumer keeps its own reference to the
     * mail for moving it, and reads the target folder from the plain message's headers.
     */
    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getIn(MailMessage.class).getOriginalMessage();
        DefaultMessage plain = new DefaultMessage(exchange);
        exchange.setIn(plain);
        plain.setHeader(MailConstants.MAIL_MOVE_TO, settings.processedFolder());
        InboundMail mail = read(message);
        plain.setHeader(KEY_HEADER, mail.key());
        plain.setBody(mail);
    }

    /** Reads a mail of the mailbox; a mail over the size limit is not downloaded at all. */
    InboundMail read(Message message) throws MessagingException {
        long limit = settings.maxSize().toBytes();
        long size = sizeOf(message);
        String messageId = MailReader.messageId(first(message.getHeader("Message-ID")));
        String key = messageId != null ? "mid:" + messageId : "hdr:" + headerFingerprint(message, size);
        if (size > limit) {
            return InboundMail.quarantine(key, "larger than the " + IntakeSettings.readable(settings.maxSize()) + " limit (" + size + " bytes); not read", size, null);
        }
        byte[] raw;
        try {
            BoundedBuffer buffer = new BoundedBuffer(limit);
            message.writeTo(buffer);
            raw = buffer.toByteArray();
        } catch (BoundedBuffer.Overflow e) {
            return InboundMail.quarantine(key, "larger than the " + IntakeSettings.readable(settings.maxSize()) + " limit; not read", size, null);
        } catch (FolderClosedException | StoreClosedException e) {
            throw e;
        } catch (MessagingException | IOException e) {
            if (e.getCause() instanceof BoundedBuffer.Overflow) {
                return InboundMail.quarantine(key, "larger than the " + IntakeSettings.readable(settings.maxSize()) + " limit; not read", size, null);
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
        audit.append(null, "intake:email", "intake.ignored", Map.of("reason", mail.reason(), "key", mail.key()));
        log.info("Mail not answered: {}", mail.reason());
    }

    public void quarantined(InboundMail mail, Exchange exchange) {
        quarantine.put("EMAIL", null, mail.key(), mail.reason(), mail.size(), headerSection(mail.raw()));
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

    /** Mails whose processing failed and that wait in the mailbox for another try. */
    public int pendingFailures() {
        return failures.size();
    }

    /**
     * The size as the server reports it, fetched alone: asking the message for it would also load the
     * IMAP envelope, which a server may fail to build for a malformed mail. Unknown (-1) if the server
     * will not say; the download still stops at the limit.
     */
    private static long sizeOf(Message message) throws MessagingException {
        try {
            FetchProfile sizeOnly = new FetchProfile();
            sizeOnly.add(FetchProfile.Item.SIZE);
            message.getFolder().fetch(new Message[] {message}, sizeOnly);
            return message.getSize();
        } catch (FolderClosedException | StoreClosedException e) {
            throw e;
        } catch (MessagingException e) {
            log.debug("The server did not report the size of a mail: {}", e.toString());
            return -1;
        }
    }

    /**
     * What of a quarantined mail is kept in the case store: its header section, enough to find it
     * and see why it was refused. The whole mail stays in the quarantine folder of the mailbox;
     * bodies and attachments are never copied into the database.
     */
    static byte[] headerSection(byte[] raw) {
        if (raw == null) {
            return null;
        }
        int limit = Math.min(raw.length, MAX_KEPT_HEADER_BYTES);
        for (int i = 0; i < limit; i++) {
            if (raw[i] == '\n' && i + 1 < raw.length && (raw[i + 1] == '\n' || raw[i + 1] == '\r' && i + 2 < raw.length && raw[i + 2] == '\n')) {
                return java.util.Arrays.copyOf(raw, i + 1);
            }
        }
        return java.util.Arrays.copyOf(raw, limit);
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
