package org.dsrflow.reliability;

import org.apache.camel.CamelContext;
import org.dsrflow.audit.AuditLog;
import org.dsrflow.embedded.EmbeddedPostgresServer;
import org.dsrflow.support.EmbeddedStackTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A drill with dsrflow as a process of its own on the test application's servers: what it needs of
 * the test application (its PostgreSQL, the case store to check, its routes to stop, the audit to
 * verify, the demo helpdesk's port).
 */
abstract class ProcessDrill extends EmbeddedStackTest {
    @Autowired
    EmbeddedPostgresServer postgres;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CamelContext camel;
    @Autowired
    AuditLog audit;
    @Value("${dsrflow.demo.helpdesk.port}")
    int helpdeskPort;
}
