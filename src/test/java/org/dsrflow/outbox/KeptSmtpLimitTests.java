package org.dsrflow.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kept connections against a server that takes only so many mails per connection and then
 * answers 421 (as some do): the mail that meets the 421 goes out on a new connection; a refusal
 * of the mail itself is not tried again.
 */
class KeptSmtpLimitTests {
    private ServerSocket listener;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    /** Conversations the client ended with QUIT. */
    private final AtomicInteger quits = new AtomicInteger();
    /** Mails taken per connection before the 421. */
    private volatile int perConnection = 1;
    /** A recipient the server refuses with 550. */
    private static final String REFUSED = "nobody@example.com";

    @BeforeEach
    void startServer() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    connections.incrementAndGet();
                    Thread conversation = new Thread(() -> converse(client), "fake-smtp-conversation");
                    conversation.setDaemon(true);
                    conversation.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "fake-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void stopServer() throws IOException {
        KeptSmtpTransport.closeIdle();
        listener.close();
    }

    @Test
    void aMailThatMeetsTheServersLimitGoesOutOnANewConnection() throws Exception {
        send("first@example.com");
        send("second@example.com");
        send("third@example.com");
        assertThat(accepted).containsExactly("first@example.com", "second@example.com", "third@example.com");
        assertThat(connections.get()).as("one mail per connection, as the server allows").isEqualTo(3);

        perConnection = 10;
        KeptSmtpTransport.closeIdle();
        int before = connections.get();
        send("fourth@example.com");
        send("fifth@example.com");
        assertThat(connections.get() - before).as("within the limit one connection carries both").isEqualTo(1);
    }

    @Test
    void aMailTheServerRefusesIsNotSentAgain() throws Exception {
        perConnection = 10;
        send("first@example.com");
        assertThatThrownBy(() -> send(REFUSED)).isInstanceOf(MessagingException.class);
        assertThat(accepted).containsExactly("first@example.com");
        assertThat(connections.get()).as("a refusal is the mail's, not the connection's: no new connection for it").isEqualTo(1);
        send("third@example.com");
        assertThat(accepted).containsExactly("first@example.com", "third@example.com");
    }

    @Test
    void aConnectionLeftIdleIsClosedByTheSweepAndTheNextMailOpensAnother() throws Exception {
        perConnection = 10;
        Duration dropAfter = KeptSmtpTransport.dropAfter;
        try {
            send("first@example.com");
            KeptSmtpTransport.closeStale();
            assertThat(quits.get()).as("fresh: kept").isZero();

            KeptSmtpTransport.dropAfter = Duration.ofMillis(1);
            Thread.sleep(20);
            KeptSmtpTransport.closeStale();
            long until = System.nanoTime() + 5_000_000_000L;
            while (quits.get() == 0 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(quits.get()).as("idle past keep-idle: closed with QUIT").isEqualTo(1);
        } finally {
            KeptSmtpTransport.dropAfter = dropAfter;
        }
        send("second@example.com");
        assertThat(connections.get()).isEqualTo(2);
        assertThat(accepted).containsExactly("first@example.com", "second@example.com");
    }

    private void send(String to) throws MessagingException {
        Properties props = new Properties();
        props.setProperty("mail.smtp.host", "127.0.0.1");
        props.setProperty("mail.smtp.port", String.valueOf(listener.getLocalPort()));
        props.setProperty("mail.smtp.class", KeptSmtpTransport.class.getName());
        Session session = Session.getInstance(props);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("privacy@dsrflow.localhost"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject("limit test");
        message.setText("Hello.");
        message.saveChanges();
        Transport transport = session.getTransport("smtp");
        assertThat(transport).isInstanceOf(KeptSmtpTransport.class);
        transport.connect();
        try {
            transport.sendMessage(message, message.getAllRecipients());
        } finally {
            transport.close();
        }
    }

    /** A small SMTP server: EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; 421 after its per-connection limit. */
    private void converse(Socket client) {
        try (client;
             BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
             PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.US_ASCII)) {
            reply(out, "220 fake ready");
            int taken = 0;
            String recipient = null;
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (command) {
                    case "EHLO", "HELO" -> reply(out, "250 fake");
                    case "MAIL" -> {
                        if (taken >= perConnection) {
                            reply(out, "421 4.3.2 too many messages on this connection");
                            return;
                        }
                        reply(out, "250 ok");
                    }
                    case "RCPT" -> {
                        recipient = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
                        reply(out, REFUSED.equals(recipient) ? "550 5.1.1 no such user" : "250 ok");
                    }
                    case "DATA" -> {
                        reply(out, "354 go on");
                        while ((line = in.readLine()) != null && !line.equals(".")) {
                            // the message itself is not kept
                        }
                        taken++;
                        accepted.add(recipient);
                        reply(out, "250 queued");
                    }
                    case "RSET", "NOOP" -> reply(out, "250 ok");
                    case "QUIT" -> {
                        quits.incrementAndGet();
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "500 unknown");
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void reply(PrintWriter out, String line) {
        out.print(line + "\r\n");
        out.flush();
    }
}
