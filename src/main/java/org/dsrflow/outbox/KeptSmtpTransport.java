package org.dsrflow.outbox;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.URLName;
import org.eclipse.angus.mail.smtp.SMTPSSLTransport;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * An SMTP transport whose connection outlives one mail. camel-mail opens a transport, connects,
 * sends one message and closes for every mail; against a server that takes ~40 ms to greet a
 * client (the demo's does, BENCHMARKS.md) that is most of a mail's cost. Installed as the
 * provider of {@code smtp} and {@code smtps} in the sending session ({@link KeptSmtpConnections}),
 * it borrows a connected transport for the same server and account on connect and gives it back
 * on close, so camel-mail's connect–send–close becomes one conversation with many mails.
 *
 * <p>A connection is reused only while it is fresh: one idle for {@link #checkAfter} is checked
 * first with a {@code NOOP}, one idle for {@link #dropAfter} is closed, when a mail would take it
 * or by {@link #closeStale} (servers drop idle clients after minutes). A mail that fails on a
 * reused connection because of the connection (it is gone, or the server answers 421, as servers
 * limiting the mails per connection do) is sent once more on a new one — what the outbox would do
 * after its backoff, only sooner; any failure closes the connection it happened on. Nothing here
 * changes what is sent, only how many connections carry it.
 */
public class KeptSmtpTransport extends Transport {
    /** Reused without a check when idle for less than this. */
    static volatile Duration checkAfter = Duration.ofSeconds(2);
    /** Closed instead of reused when idle for this long. */
    static volatile Duration dropAfter = Duration.ofSeconds(30);
    /** At most this many idle connections kept per server and account. */
    static volatile int maxIdle = 16;

    private static final Map<Key, ConcurrentLinkedDeque<Idle>> IDLE = new ConcurrentHashMap<>();
    private static final Map<Key, AtomicLong> OPENED = new ConcurrentHashMap<>();

    private record Key(String protocol, String host, int port, String user, String password) {
        @Override
        public String toString() {
            // never the password
            return protocol + "://" + (user == null ? "" : user + "@") + host + ":" + port;
        }
    }

    private record Idle(SMTPTransport transport, long since) {
    }

    private Key key;
    private SMTPTransport current;
    private boolean reused;

    public KeptSmtpTransport(Session session, URLName url) {
        super(session, url);
    }

    /** Connections opened so far by this JVM's kept transports to this host (as named) and port. */
    static long opened(String host, int port) {
        return OPENED.entrySet().stream().filter(e -> Objects.equals(e.getKey().host(), host) && e.getKey().port() == port)
                .mapToLong(e -> e.getValue().get()).sum();
    }

    @Override
    protected synchronized boolean protocolConnect(String host, int port, String user, String password) throws MessagingException {
        key = new Key(protocol(), host, port, user, password);
        Idle idle;
        ConcurrentLinkedDeque<Idle> idles = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
        while ((idle = idles.pollFirst()) != null) {
            long idleNanos = System.nanoTime() - idle.since();
            if (idleNanos >= dropAfter.toNanos()) {
                closeQuietly(idle.transport());
            } else if (idleNanos < checkAfter.toNanos() || idle.transport().isConnected()) {
                // isConnected() asks the server (NOOP) and says false when it no longer answers
                current = idle.transport();
                reused = true;
                return true;
            } else {
                closeQuietly(idle.transport());
            }
        }
        current = open();
        reused = false;
        return true;
    }

    @Override
    public synchronized void sendMessage(Message message, Address[] addresses) throws MessagingException {
        SMTPTransport on = Objects.requireNonNull(current, "not connected");
        try {
            on.sendMessage(message, addresses);
        } catch (MessagingException e) {
            discard();
            if (!reused || !closedUnderneath(e)) {
                throw e;
            }
            // the kept connection had gone (the server timed it out, restarted, or will take no more
            // mails on it): once more on a new one
            current = open();
            reused = false;
            try {
                current.sendMessage(message, addresses);
            } catch (MessagingException again) {
                discard();
                throw again;
            }
        }
    }

    @Override
    public synchronized void close() throws MessagingException {
        SMTPTransport done = current;
        current = null;
        if (done != null) {
            ConcurrentLinkedDeque<Idle> idles = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
            if (idles.size() < maxIdle) {
                idles.offerFirst(new Idle(done, System.nanoTime()));
            } else {
                closeQuietly(done);
            }
        }
        super.close();
    }

    /**
     * Closes the idle connections unused for {@link #dropAfter}, so that a lane gone quiet does not
     * keep them until the server times them out ({@link KeptSmtpConnections} runs it).
     */
    static void closeStale() {
        long now = System.nanoTime();
        for (ConcurrentLinkedDeque<Idle> idles : IDLE.values()) {
            for (Idle idle : idles) {
                // removed first: a sender may have taken it meanwhile, and then it is that sender's
                if (now - idle.since() >= dropAfter.toNanos() && idles.remove(idle)) {
                    closeQuietly(idle.transport());
                }
            }
        }
    }

    /** Closes every idle connection (at shutdown, and in tests). */
    static void closeIdle() {
        for (ConcurrentLinkedDeque<Idle> idles : IDLE.values()) {
            Idle idle;
            while ((idle = idles.pollFirst()) != null) {
                closeQuietly(idle.transport());
            }
        }
    }

    /**
     * Whether a failure on a kept connection is the connection's, not the mail's: anything but a
     * refusal by the server (a broken or closed socket), or the server's 421 — "closing the
     * channel", as servers that limit the mails per connection answer. Any other refusal (an
     * address, the size) would be the same on a new connection.
     */
    private static boolean closedUnderneath(MessagingException e) {
        if (e instanceof SMTPSendFailedException refused) {
            return refused.getReturnCode() == 421;
        }
        return !(e instanceof SendFailedException);
    }

    private String protocol() {
        URLName name = getURLName();
        return name == null || name.getProtocol() == null ? "smtp" : name.getProtocol();
    }

    private SMTPTransport open() throws MessagingException {
        URLName name = new URLName(key.protocol(), key.host(), key.port(), null, key.user(), null);
        SMTPTransport t = "smtps".equals(key.protocol()) ? new SMTPSSLTransport(session, name) : new SMTPTransport(session, name);
        t.connect(key.host(), key.port(), key.user(), key.password());
        OPENED.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        return t;
    }

    private void discard() {
        if (current != null) {
            closeQuietly(current);
            current = null;
        }
    }

    private static void closeQuietly(SMTPTransport t) {
        try {
            t.close();
        } catch (MessagingException | RuntimeException e) {
            // closing a connection that is already gone
        }
    }
}
