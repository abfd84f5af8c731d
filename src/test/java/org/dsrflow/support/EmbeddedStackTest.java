package org.dsrflow.support;

import org.junit.jupiter.api.Tag;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.TestPropertySource;

/**
 * Base for tests that run the whole application on its embedded default: real PostgreSQL,
 * GreenMail (SMTP and IMAP) and a single-node KRaft Kafka, all in-process on free ports. Every
 * subclass shares one application context, so the servers start once per test run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(locations = "classpath:dsrflow-test.properties")
@Tag("stack")
public abstract class EmbeddedStackTest {
}
