package org.dsrflow.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;

/** Reads a person's mailbox over real IMAP, the way their mail client would. */
public final class Mailbox {

    /** A received mail, read out of its MIME form. */
    public record Mail(String subject, String body, String messageId, String inReplyTo, String references, String autoSubmitted,
                       String to, String cc) {
    }

    private final int imapPort;

    public Mailbox(int imapPort) {
        this.imapPort = imapPort;
    }

    /** Waits until a mail matching {@code wanted} is in the address's INBOX. */
    public Mail await(String address, Predicate<Mail> wanted, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        List<Mail> seen = List.of();
        while (Instant.now().isBefore(deadline)) {
            seen = read(address);
            for (Mail m : seen) {
                if (wanted.test(m)) {
                    return m;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no matching mail for " + address + " within " + timeout + "; inbox had subjects "
                + seen.stream().map(Mail::subject).toList());
    }

    public List<Mail> read(String address) throws Exception {
        Properties props = new Properties();
        props.put("mail.imap.connectiontimeout", "5000");
        props.put("mail.imap.timeout", "5000");
        Store store = Session.getInstance(props).getStore("imap");
        store.connect("127.0.0.1", imapPort, address, "any-password");
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            List<Mail> mails = new ArrayList<>();
            for (Message m : inbox.getMessages()) {
                mails.add(toMail((MimeMessage) m));
            }
            inbox.close(false);
            return mails;
        } finally {
            store.close();
        }
    }

    private static Mail toMail(MimeMessage m) throws Exception {
        return new Mail(m.getSubject(), m.getContent().toString(), m.getMessageID(), header(m, "In-Reply-To"), header(m, "References"),
                header(m, "Auto-Submitted"), String.join(",", java.util.Arrays.stream(m.getRecipients(Message.RecipientType.TO))
                        .map(Object::toString).toList()), header(m, "Cc"));
    }

    private static String header(MimeMessage m, String name) throws MessagingException {
        String[] values = m.getHeader(name);
        return values == null ? null : values[0];
    }
}
