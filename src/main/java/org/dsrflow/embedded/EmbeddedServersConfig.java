package org.dsrflow.embedded;

import java.util.Map;

import javax.sql.DataSource;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The embedded default: a real PostgreSQL, mail server and Kafka broker inside the JVM, each
 * switched off by its own property (production points at real servers instead).
 */
@Configuration(proxyBeanMethods = false)
class EmbeddedServersConfig {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedServersConfig.class);

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "dsrflow.embedded.postgres.enabled", havingValue = "true")
    EmbeddedPostgresServer embeddedPostgres(Environment env, ResourceLoader resources) {
        Map<String, String> seeds = Binder.get(env)
                .bind("dsrflow.embedded.postgres.seeds", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of());
        Map<String, String> settings = Binder.get(env)
                .bind("dsrflow.embedded.postgres.server-config", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of());
        return new EmbeddedPostgresServer(env.getProperty("dsrflow.embedded.data-dir", ""),
                env.getRequiredProperty("dsrflow.embedded.postgres.port", Integer.class), seeds, resources,
                env.getProperty("dsrflow.embedded.postgres.pool-size", Integer.class,
                        EmbeddedPostgresServer.DEFAULT_POOL_SIZE), settings);
    }

    /** The case store's own database, used only when no {@code spring.datasource.url} is configured. */
    @Bean
    @Primary
    @Conditional(NoDatasourceUrl.class)
    DataSource caseStoreDataSource(EmbeddedPostgresServer postgres) {
        return postgres.dataSource("dsrflow");
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    @ConditionalOnProperty(name = "dsrflow.embedded.mail.enabled", havingValue = "true")
    GreenMail embeddedMailServer(@Value("${dsrflow.embedded.mail.smtp-port}") int smtpPort,
                                 @Value("${dsrflow.embedded.mail.imap-port}") int imapPort) {
        GreenMail mail = new GreenMail(new ServerSetup[] {
                new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(imapPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)});
        // Demo mailboxes: any address logs in with any password and sees the mail sent to it.
        mail.withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        log.info("Embedded mail server: SMTP localhost:{}, IMAP localhost:{} (any user/password)", smtpPort, imapPort);
        return mail;
    }

    /** The demo mail server's idle mailboxes go after keep-for; the privacy mailbox dsrflow reads stays. */
    @Bean(initMethod = "start", destroyMethod = "stop")
    @ConditionalOnProperty(name = "dsrflow.embedded.mail.enabled", havingValue = "true")
    DemoMailRetention demoMailRetention(GreenMail mail, @Value("${dsrflow.embedded.mail.keep-for:PT1H}") java.time.Duration keepFor,
                                        @Value("${dsrflow.embedded.mail.sweep-period:PT1M}") java.time.Duration period,
                                        @Value("${dsrflow.intake.mail.username:}") String privacyMailbox) {
        return new DemoMailRetention(mail, keepFor, period, privacyMailbox.isBlank() ? java.util.Set.of() : java.util.Set.of(privacyMailbox));
    }

    @Bean(destroyMethod = "destroy")
    @ConditionalOnProperty(name = "dsrflow.embedded.kafka.enabled", havingValue = "true")
    EmbeddedKafkaKraftBroker embeddedKafka(@Value("${dsrflow.embedded.kafka.port}") int port,
                                           @Value("${dsrflow.kafka.events-topic}") String eventsTopic,
                                           @Value("${dsrflow.intake.tickets.topic}") String ticketsTopic,
                                           @Value("${dsrflow.intake.tickets.updates-topic}") String ticketUpdatesTopic) {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1, eventsTopic, ticketsTopic, ticketUpdatesTopic);
        // kafkaPorts() is ignored in KRaft mode; the listener has to be named explicitly.
        broker.brokerProperty("listeners", "EXTERNAL://localhost:" + port + ",CONTROLLER://localhost:0");
        broker.brokerProperty("advertised.listeners", "EXTERNAL://localhost:" + port);
        broker.afterPropertiesSet();
        if (!broker.getBrokersAsString().equals("localhost:" + port)) {
            broker.destroy();
            throw new IllegalStateException("embedded Kafka listens on " + broker.getBrokersAsString() + ", not localhost:" + port);
        }
        log.info("Embedded Kafka (KRaft, single node) on localhost:{}", port);
        return broker;
    }
}
