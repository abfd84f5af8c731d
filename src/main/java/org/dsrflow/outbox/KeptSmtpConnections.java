package org.dsrflow.outbox;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import org.apache.camel.CamelContext;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.mail.MailConfiguration;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Mail goes out over kept SMTP connections ({@link KeptSmtpTransport}): the {@code smtp} and
 * {@code smtps} components' sessions name it as their transport, so whatever the send URI says
 * (server, account, TLS, timeouts) camel-mail still sets up, and only the connection outlives the
 * mail. {@code dsrflow.mail.smtp.keep-connections: false} turns it off (a connection per mail).
 */
@Configuration
@ConditionalOnProperty(name = "dsrflow.mail.smtp.keep-connections", havingValue = "true", matchIfMissing = true)
class KeptSmtpConnections {

    /** Closes connections unused for keep-idle even when no mail comes to find them stale. */
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dsrflow-smtp-sweeper");
        t.setDaemon(true);
        return t;
    });

    KeptSmtpConnections(@Value("${dsrflow.mail.smtp.keep-idle:PT30S}") Duration keepIdle,
                        @Value("${dsrflow.outbox.mail-senders:16}") int senders) {
        KeptSmtpTransport.dropAfter = keepIdle;
        KeptSmtpTransport.maxIdle = Math.max(1, senders);
        long period = Math.max(1000, keepIdle.toMillis() / 2);
        sweeper.scheduleWithFixedDelay(KeptSmtpTransport::closeStale, period, period, TimeUnit.MILLISECONDS);
    }

    @Bean
    CamelContextConfiguration keptSmtpTransport() {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                for (String scheme : new String[] {"smtp", "smtps"}) {
                    MailComponent component = camel.getComponent(scheme, MailComponent.class);
                    MailConfiguration configuration = component.getConfiguration();
                    Properties extra = configuration.getAdditionalJavaMailProperties() == null ? new Properties()
                            : configuration.getAdditionalJavaMailProperties();
                    extra.setProperty("mail." + scheme + ".class", KeptSmtpTransport.class.getName());
                    configuration.setAdditionalJavaMailProperties(extra);
                }
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                // nothing after the start
            }
        };
    }

    @PreDestroy
    void closeIdle() {
        sweeper.shutdownNow();
        KeptSmtpTransport.closeIdle();
    }
}
