package org.dsrflow.connector.kafka;

import org.dsrflow.connector.DeclaredSpecReader;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import org.dsrflow.connector.Connector;
import org.dsrflow.connector.ConnectorFactory;
import org.dsrflow.connector.DeferredAnswer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Builds {@code type: kafka} connectors. All of them share one reader of answers, started once the
 * application is up (so fulfilment is there to receive them) and stopped before it goes down.
 */
@Component
class KafkaConnectorFactory implements ConnectorFactory, SmartLifecycle, DisposableBean {
    private final RemoteAnswers answers;
    private final Duration syncWait;
    private final List<KafkaRemoteConnector> built = new CopyOnWriteArrayList<>();

    KafkaConnectorFactory(@Value("${dsrflow.kafka.brokers}") String brokers, DataSource caseStore,
                          ObjectProvider<DeferredAnswer.Listener> listener,
                          @Value("${dsrflow.connectors.remote-sync-wait:PT30S}") Duration syncWait) {
        this.answers = new RemoteAnswers(brokers, caseStore, listener::getIfAvailable);
        this.syncWait = syncWait;
    }

    @Override
    public String type() {
        return "kafka";
    }

    @Override
    public Connector create(String file, JsonNode definition) {
        KafkaRemoteConnector connector = new KafkaRemoteConnector(DeclaredSpecReader.read(file, definition, false), answers, syncWait);
        built.add(connector);
        return connector;
    }

    @Override
    public void start() {
        answers.start();
    }

    @Override
    public void stop() {
        answers.close();
    }

    @Override
    public boolean isRunning() {
        return answers.isRunning();
    }

    @Override
    public void destroy() {
        answers.close();
        built.forEach(KafkaRemoteConnector::close);
    }
}
