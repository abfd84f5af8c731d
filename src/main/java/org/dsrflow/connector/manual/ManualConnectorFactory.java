package org.dsrflow.connector.manual;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import org.dsrflow.DsrflowSettings;
import org.dsrflow.connector.Connector;
import org.dsrflow.connector.ConnectorFactory;
import org.dsrflow.connector.DeclaredSpecReader;
import org.dsrflow.outbox.Outbox;
import org.dsrflow.reply.MailComposer;
import org.dsrflow.verification.Secrets;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Builds {@code type: manual} connectors and remembers them, so a report page can find its system. */
@Component
public class ManualConnectorFactory implements ConnectorFactory {
    private final DataSource caseStore;
    private final Outbox outbox;
    private final MailComposer mails;
    private final ManualLinks links;
    private final Duration syncWait;
    private final Map<String, ManualConnector> bySystem = new ConcurrentHashMap<>();

    ManualConnectorFactory(DataSource caseStore, Outbox outbox, MailComposer mails, Secrets secrets, DsrflowSettings settings,
                           @Value("${dsrflow.connectors.manual-sync-wait:PT2M}") Duration syncWait) {
        this.caseStore = caseStore;
        this.outbox = outbox;
        this.mails = mails;
        this.links = new ManualLinks(secrets, settings.publicUrl());
        this.syncWait = syncWait;
    }

    @Override
    public String type() {
        return "manual";
    }

    @Override
    public Connector create(String file, JsonNode definition) {
        return create(file, definition, caseStore);
    }

    /** A connector recording its tasks in {@code store} (the case store; another one only in tests of an outage). */
    public ManualConnector create(String file, JsonNode definition, DataSource store) {
        ManualConnector connector = new ManualConnector(DeclaredSpecReader.read(file, definition, true), store, outbox, mails, links,
                syncWait);
        bySystem.put(connector.system(), connector);
        return connector;
    }

    Optional<ManualConnector> find(String system) {
        return Optional.ofNullable(bySystem.get(system));
    }

    ManualLinks links() {
        return links;
    }
}
