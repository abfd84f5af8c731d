package org.dsrflow.demo;

import org.dsrflow.embedded.EmbeddedPostgresServer;
import org.dsrflow.remote.client.TaskWorker;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Runs the demo's remote system in the same JVM, as another team would run it in its own service:
 * a {@link TaskWorker} over the notifications database, talking to dsrflow only through Kafka.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "dsrflow.demo.notifications.enabled", havingValue = "true")
class DemoRemoteSystemConfig {

    @Bean(initMethod = "start", destroyMethod = "close")
    TaskWorker notificationsWorker(EmbeddedPostgresServer postgres, @Value("${dsrflow.kafka.brokers}") String brokers,
                                   org.springframework.beans.factory.ObjectProvider<org.springframework.kafka.test.EmbeddedKafkaKraftBroker> broker) {
        broker.getIfAvailable(); // the embedded broker, when there is one, is up before the worker connects
        return new TaskWorker(brokers, "notifications", new NotificationsService(postgres.dataSource("notifications")));
    }
}
