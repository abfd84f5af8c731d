package org.dsrflow.outbox;

import java.util.concurrent.ExecutorService;

import org.dsrflow.DaemonPools;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class OutboxConfig {
    /**
     * The mail lane's senders: a round's mails go out {@code mail-senders} at a time. Each SMTP
     * conversation is mostly waiting for the server's answers (and, on a new connection, for its
     * greeting: the demo's mail server takes about 40 ms), so few senders kept a burst of replies
     * queued for seconds (BENCHMARKS.md); connections are kept from one mail to the next, up to
     * one per sender ({@link KeptSmtpTransport}). A round holds at most one mail per case, so a case's mails stay
     * in order.
     */
    @Bean(name = "mailSenders", destroyMethod = "shutdownNow")
    ExecutorService mailSenders(@Value("${dsrflow.outbox.mail-senders:16}") int senders) {
        return DaemonPools.fixed("dsrflow-mail-sender", senders);
    }
}
