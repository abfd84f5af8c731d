package org.dsrflow.outbox;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class OutboxConfig {
    /**
     * The mail lane's senders: a poll's mails go out {@code mail-senders} at a time. Each SMTP
     * conversation is mostly waiting, so one sender kept a burst of replies queued for tens of
     * seconds (BENCHMARKS.md). A poll holds at most one mail per case, so a case's mails stay in order.
     */
    @Bean(name = "mailSenders", destroyMethod = "shutdownNow")
    ExecutorService mailSenders(@Value("${dsrflow.outbox.mail-senders:4}") int senders) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(senders, r -> {
            Thread t = new Thread(r, "dsrflow-mail-sender-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
