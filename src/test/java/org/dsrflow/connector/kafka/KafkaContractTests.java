package org.dsrflow.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.dsrflow.connector.Connector;
import org.dsrflow.connector.ConnectorContract;
import org.dsrflow.connector.DeferredAnswer;
import org.dsrflow.connector.Subject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.core.io.ClassPathResource;

/** The connector contract for the kafka type, answered by the demo notifications service through the client library. */
class KafkaContractTests extends ConnectorContract {
    static RemoteStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new RemoteStack(null);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Override
    protected Connector freshSystem() {
        stack.resetNotifications();
        return stack.connector;
    }

    @Override
    protected Connector unreachableSystem() throws Exception {
        RemoteAnswers nowhere = new RemoteAnswers("127.0.0.1:1", stack.caseStore, () -> null);
        return new KafkaRemoteConnector(RemoteStack.spec(), nowhere, Duration.ofSeconds(5));
    }

    @Override
    protected BadConfig badConfig() throws Exception {
        String yaml = new ClassPathResource("connectors/notifications.yaml").getContentAsString(java.nio.charset.StandardCharsets.UTF_8)
                .replace("period: P3Y", "period: three years");
        KafkaConnectorFactory factory = new KafkaConnectorFactory("127.0.0.1:1", stack.caseStore,
                new StaticListableBeanFactory().getBeanProvider(DeferredAnswer.Listener.class), Duration.ofSeconds(1));
        return new BadConfig(factory, "connectors/notifications.yaml", new ObjectMapper(new YAMLFactory()).readTree(yaml),
                "datasets[2].retention.period");
    }

    @Override
    protected Subject subject() {
        return new Subject("li.wei@example.cn");
    }

    @Override
    protected Subject bystander() {
        return new Subject("alice.chen@example.com");
    }

    @Override
    protected String subjectMarker() {
        return "li.wei@example.cn";
    }

    @Test
    void consentsAreKeptWithTheFilesLegalBasisAndNoLongerLeadToThePerson() {
        var report = freshSystem().erase(subject());
        var consents = report.tables().stream().filter(t -> t.table().equals("consents")).findFirst().orElseThrow();
        assertThat(consents.outcome()).isEqualTo(org.dsrflow.connector.ErasureReport.Outcome.RETAINED);
        assertThat(consents.rows()).isEqualTo(1);
        assertThat(consents.retention().reasonIn("zh")).contains("同意记录");
        assertThat(new org.springframework.jdbc.core.JdbcTemplate(stack.notifications)
                .queryForObject("select count(*) from consents where email like '%@%'", Integer.class))
                .as("only other people's consents still hold an address").isEqualTo(11);
    }

    @Test
    void aTaskSentTwiceIsAnsweredTwiceAndChangesNothingTheSecondTime() {
        freshSystem();
        var first = stack.connector.erase(subject());
        var second = stack.connector.erase(subject());
        assertThat(first.totalRows()).isPositive();
        assertThat(second.rows(org.dsrflow.connector.ErasureReport.Outcome.DELETED)).isZero();
        assertThat(stack.connector.verifyErased(subject()).remainingPerTable()).containsOnlyKeys("subscriptions", "deliveries", "consents")
                .allSatisfy((k, v) -> assertThat(v).isZero());
    }

    @Test
    void anExportLargerThanOneMessageArrivesWhole() {
        freshSystem();
        var jdbc = new org.springframework.jdbc.core.JdbcTemplate(stack.notifications);
        Long subscription = jdbc.queryForObject("select min(subscription_id) from subscriptions where email = 'li.wei@example.cn'", Long.class);
        jdbc.update("insert into deliveries select 100000 + g, ?, 'bulk ' || g, now() from generate_series(1, 450) g", subscription);
        Collected sink = new Collected();
        var summary = stack.connector.export(subject(), sink);
        Long deliveries = jdbc.queryForObject("select count(*) from deliveries d join subscriptions s using (subscription_id) "
                + "where s.email = 'li.wei@example.cn'", Long.class);
        assertThat(deliveries).isGreaterThan(450);
        assertThat(summary.recordsPerTable()).containsEntry("deliveries", deliveries);
        assertThat(sink.records).hasSize((int) summary.total());
        assertThat(sink.records.stream().filter(r -> String.valueOf(r.get("title")).startsWith("bulk "))).hasSize(450);
        assertThat(Map.copyOf(summary.recordsPerTable()).keySet()).containsExactlyInAnyOrder("subscriptions", "deliveries", "consents");
    }

    @Test
    void hostileAnswersAreSetAsideWithoutBlockingTheOthers() throws Exception {
        freshSystem();
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", stack.broker.getBrokersAsString());
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(p,
                new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.StringSerializer())) {
            String topic = org.dsrflow.remote.RemoteProtocol.resultsTopic("notifications");
            for (String hostile : java.util.List.of(
                    "not json at all",
                    "{\"protocol\":\"dsrflow.result/1\",\"taskId\":\"t1\",\"kind\":\"result\",\"status\":\"done\",\"chunks\":0}",
                    "{\"protocol\":\"dsrflow.result/1\",\"taskId\":\"t2\",\"system\":\"notifications\",\"kind\":\"records\","
                            + "\"seq\":0,\"dataset\":\"../../evil\",\"records\":[{\"a\":1}]}",
                    "{\"protocol\":\"dsrflow.result/1\",\"taskId\":\"t3\",\"system\":\"notifications\",\"kind\":\"result\","
                            + "\"status\":\"done\",\"chunks\":0,\"remaining\":{\"x\":null},\"datasets\":[null]}",
                    "{\"protocol\":\"dsrflow.result/1\",\"taskId\":\"t4\",\"system\":\"notifications\",\"kind\":\"records\","
                            + "\"seq\":999999999,\"dataset\":\"deliveries\",\"records\":[]}")) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "hostile", hostile)).get();
            }
        }
        Collected sink = new Collected();
        assertThat(stack.connector.export(subject(), sink).total()).as("answers still flow").isPositive();
        assertThat(new org.springframework.jdbc.core.JdbcTemplate(stack.caseStore)
                .queryForObject("select count(*) from remote_chunk where task_id in ('t2','t4')", Integer.class))
                .as("nothing of the hostile messages is stored").isZero();
    }
}
