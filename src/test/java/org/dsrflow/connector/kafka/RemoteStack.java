package org.dsrflow.connector.kafka;

import org.dsrflow.connector.DeclaredSpecReader;
import org.dsrflow.connector.DeclaredSystem;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.dsrflow.demo.NotificationsService;
import org.dsrflow.embedded.EmbeddedPostgresServer;
import org.dsrflow.remote.client.PersonalDataHandler;
import org.dsrflow.remote.client.TaskWorker;
import org.flywaydb.core.Flyway;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Real servers for the remote connector's tests, without the application: a single-node KRaft
 * broker, PostgreSQL holding the case store (for record pieces) and the demo notifications
 * database, the demo service behind the client library, and dsrflow's side of the protocol.
 */
final class RemoteStack implements AutoCloseable {
    final EmbeddedKafkaKraftBroker broker;
    final EmbeddedPostgresServer postgres;
    final DataSource caseStore;
    final DataSource notifications;
    final RemoteAnswers answers;
    final KafkaRemoteConnector connector;
    final TaskWorker worker;

    RemoteStack(PersonalDataHandler handler) throws Exception {
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.afterPropertiesSet();
        postgres = new EmbeddedPostgresServer("", 0, Map.of(), new DefaultResourceLoader());
        caseStore = postgres.dataSource("dsrflow");
        Flyway.configure().dataSource(caseStore).locations("classpath:db/migration").load().migrate();
        notifications = postgres.dataSource("notifications");
        resetNotifications();
        answers = new RemoteAnswers(broker.getBrokersAsString(), caseStore, () -> null);
        connector = new KafkaRemoteConnector(spec(), answers, Duration.ofSeconds(20));
        answers.start();
        worker = new TaskWorker(broker.getBrokersAsString(), "notifications", handler == null ? new NotificationsService(notifications) : handler);
        worker.start();
    }

    static DeclaredSystem spec() throws Exception {
        return DeclaredSpecReader.read("connectors/notifications.yaml", new ObjectMapper(new YAMLFactory())
                .readTree(new ClassPathResource("connectors/notifications.yaml").getInputStream()), false);
    }

    /** Puts the demo notifications data back as the seed file has it. */
    void resetNotifications() {
        JdbcTemplate jdbc = new JdbcTemplate(notifications);
        jdbc.execute("drop table if exists deliveries, subscriptions, consents");
        new ResourceDatabasePopulator(new ClassPathResource("demo/notifications.sql")).execute(notifications);
    }

    @Override
    public void close() throws Exception {
        worker.close();
        answers.close();
        connector.close();
        broker.destroy();
        postgres.close();
    }
}
