package org.dsrflow.support;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import jakarta.mail.Address;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * Puts mails into the privacy mailbox the ways they really arrive: over SMTP as a mail client
 * sends them, or appended over IMAP byte for byte (for mails no well-behaved client would send).
 */
public final class MailDrop {
    public static final String PRIVACY = "privacy@dsrflow.localhost";

    private final int smtpPort;
    private final int imapPort;
    private final Session session;

    public MailDrop(int smtpPort, int imapPort) {
        this.smtpPort = smtpPort;
        this.imapPort = imapPort;
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(smtpPort));
        props.put("mail.smtp.connectiontimeout", "5000");
        props.put("mail.smtp.timeout", "10000");
        props.put("mail.imap.connectiontimeout", "5000");
        props.put("mail.imap.timeout", "10000");
        this.session = Session.getInstance(props);
    }

    /** Sends the mail's bytes unchanged over SMTP (no header is added or rewritten). */
    public void send(String raw) throws Exception {
        send(raw.getBytes(StandardCharsets.UTF_8));
    }

    public void send(byte[] raw) throws Exception {
        MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(raw));
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect("127.0.0.1", smtpPort, null, null);
            transport.sendMessage(message, new Address[] {new InternetAddress(PRIVACY)});
        }
    }

    /** Appends the bytes to the mailbox's INBOX over IMAP, exactly as given, however broken. */
    public void append(byte[]... raws) throws Exception {
        append(false, raws);
    }

    /** Appends mails already marked read, as when a person has opened them in a mail client. */
    public void appendRead(byte[]... raws) throws Exception {
        append(true, raws);
    }

    private void append(boolean read, byte[]... raws) throws Exception {
        Store store = session.getStore("imap");
        store.connect("127.0.0.1", imapPort, PRIVACY, "demo");
        try {
            Folder inbox = store.getFolder("INBOX");
            Message[] messages = new Message[raws.length];
            for (int i = 0; i < raws.length; i++) {
                messages[i] = new RawMessage(session, raws[i], read);
            }
            inbox.appendMessages(messages);
        } finally {
            store.close();
        }
    }

    /**
     * Mails in a folder of the privacy mailbox, and how many of them are still unread. The route
     * moves mails while this counts, so a mail can vanish between listing and reading its flags:
     * then the count is taken again.
     */
    public int[] count(String folder) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return countOnce(folder);
            } catch (MessagingException e) {
                if (attempt == 10) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private int[] countOnce(String folder) throws Exception {
        Store store = session.getStore("imap");
        store.connect("127.0.0.1", imapPort, PRIVACY, "demo");
        try {
            Folder f = store.getFolder(folder);
            if (!f.exists()) {
                return new int[] {0, 0};
            }
            f.open(Folder.READ_ONLY);
            int total = 0;
            int unread = 0;
            Message[] messages = f.getMessages();
            FetchProfile flags = new FetchProfile();
            flags.add(FetchProfile.Item.FLAGS);
            f.fetch(messages, flags);
            for (Message m : messages) {
                if (m.isSet(Flags.Flag.DELETED)) {
                    continue;
                }
                total++;
                if (!m.isSet(Flags.Flag.SEEN)) {
                    unread++;
                }
            }
            f.close(false);
            return new int[] {total, unread};
        } finally {
            store.close();
        }
    }

    /** A message that writes exactly the bytes it was given. */
    private static final class RawMessage extends MimeMessage {
        private final byte[] raw;
        private final boolean read;

        RawMessage(Session session, byte[] raw, boolean read) {
            super(session);
            this.raw = raw;
            this.read = read;
        }

        @Override
        public void writeTo(java.io.OutputStream os) throws java.io.IOException {
            os.write(raw);
        }

        @Override
        public void writeTo(java.io.OutputStream os, String[] ignoreList) throws java.io.IOException {
            os.write(raw);
        }

        @Override
        public Flags getFlags() {
            return read ? new Flags(Flags.Flag.SEEN) : new Flags();
        }
    }
}
