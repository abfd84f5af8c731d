package org.dsrflow.outbox;

import java.util.concurrent.ExecutorService;

import org.dsrflow.DaemonPools;
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
        return DaemonPools.fixed("dsrflow-mail-sender", senders);
    }
}
