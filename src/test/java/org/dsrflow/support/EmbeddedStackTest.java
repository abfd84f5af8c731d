package org.dsrflow.support;

import org.junit.jupiter.api.Tag;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.TestPropertySource;

/**
 * Base for tests that run the whole application on its embedded default: real PostgreSQL,
 * GreenMail (SMTP and IMAP) and a single-node KRaft Kafka, all in-process on free ports. Every
 * subclass shares one application context, so the servers start once per test run. Metrics are
 * exported as in production (Spring's tests turn that off unless asked): the throughput benchmark
 * reads the server's compile time from /actuator/prometheus.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(locations = "classpath:dsrflow-test.properties")
@Tag("stack")
public abstract class EmbeddedStackTest {
    /** The application's HTTP port. */
    @LocalServerPort
    protected int port;
    @Value("${dsrflow.embedded.mail.imap-port}")
    protected int imapPort;
    @Value("${dsrflow.embedded.mail.smtp-port}")
    protected int smtpPort;
    @Value("${dsrflow.kafka.brokers}")
    protected String brokers;
}
