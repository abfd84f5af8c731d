package org.dsrflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Http;
import org.dsrflow.support.StaffSession;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What {@code /actuator/health} shows to whom: the overall status to anyone (a load balancer, a
 * monitor); each server and system, with what went wrong and since when, to managers and admins.
 */
class HealthViewTests extends EmbeddedStackTest {
    @Autowired
    MeterRegistry meters;

    @Test
    void staffSeeEachServerAndSystemOthersTheOverallStatus() throws Exception {
        JsonNode open = new Http(port).get("/actuator/health").json();
        assertThat(open.path("status").asText()).isNotEmpty();
        assertThat(open.has("components")).as("no list of servers for anonymous callers").isFalse();

        StaffSession agent = new StaffSession(port);
        agent.signIn("agent", "demo-only-password");
        assertThat(agent.get("/actuator/health").json().has("components")).as("nor for agents").isFalse();

        StaffSession manager = new StaffSession(port);
        manager.signIn("manager", "demo-only-password");
        // the first checks run once the application is ready; each system once its own check has run
        java.time.Instant until = java.time.Instant.now().plusSeconds(20);
        JsonNode components = manager.get("/actuator/health").json().path("components");
        while ((components.path("systems").path("components").size() < 5
                || !"UP".equals(components.path("servers").path("components").path("smtp").path("status").asText()))
                && java.time.Instant.now().isBefore(until)) {
            Thread.sleep(200);
            components = manager.get("/actuator/health").json().path("components");
        }
        JsonNode servers = components.path("servers").path("components");
        assertThat(servers.fieldNames()).toIterable().containsExactlyInAnyOrder("case-store", "smtp", "imap", "kafka");
        servers.forEach(s -> assertThat(s.path("status").asText()).isEqualTo("UP"));
        assertThat(servers.path("smtp").path("details").path("since").asText()).isNotEmpty();
        assertThat(servers.path("smtp").path("details").has("outages")).isTrue();
        assertThat(components.path("systems").path("components").fieldNames()).toIterable()
                .contains("billing", "logs", "crm", "helpdesk", "notifications");

        // the same as metrics (the test context has no Prometheus endpoint; the outage drill reads that one)
        assertThat(meters.get("dsrflow.dependency.up").tag("dependency", "kafka").tag("kind", "broker").gauge().value()).isEqualTo(1.0);
        assertThat(meters.find("dsrflow.dependency.outages").tag("dependency", "smtp").counter()).isNotNull();
    }
}
