package org.dsrflow.demo;

import org.dsrflow.embedded.EmbeddedPostgresServer;
import org.dsrflow.remote.client.TaskWorker;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Runs the demo's systems that are not databases in the same JVM: the remote notifications
 * service (a {@link TaskWorker} over its own database, talking to dsrflow only through Kafka, as
 * another team would run it) and the SaaS helpdesk's REST API.
 */
@Configuration(proxyBeanMethods = false)
class DemoRemoteSystemConfig {

    /** The demo's SaaS helpdesk (connectors/helpdesk.yaml, an http connector), on its own port like a real one. */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "dsrflow.demo.helpdesk.enabled", havingValue = "true")
    HelpdeskApi demoHelpdesk(@Value("${dsrflow.demo.helpdesk.port}") int port, @Value("${DSRFLOW_HELPDESK_TOKEN}") String token)
            throws java.io.IOException {
        return HelpdeskApi.start(port, token);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnProperty(name = "dsrflow.demo.notifications.enabled", havingValue = "true")
    TaskWorker notificationsWorker(EmbeddedPostgresServer postgres, @Value("${dsrflow.kafka.brokers}") String brokers,
                                   org.springframework.beans.factory.ObjectProvider<org.springframework.kafka.test.EmbeddedKafkaKraftBroker> broker) {
        broker.getIfAvailable(); // the embedded broker, when there is one, is up before the worker connects
        return new TaskWorker(brokers, "notifications", new NotificationsService(postgres.dataSource("notifications")));
    }
}
