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
 * What {@code /actuator/health} shows to whom: every server and system by name and status to anyone
 * (a load balancer, a monitor), what went wrong and since when to managers and admins only.
 */
class HealthViewTests extends EmbeddedStackTest {
    @Autowired
    MeterRegistry meters;

    @Test
    void anyoneSeesWhichServerIsDownOnlyStaffSeeWhy() throws Exception {
        JsonNode open = new Http(port).get("/actuator/health").json();
        JsonNode servers = open.path("components").path("servers").path("components");
        assertThat(servers.fieldNames()).toIterable().containsExactlyInAnyOrder("case-store", "smtp", "imap", "kafka");
        servers.forEach(s -> assertThat(s.path("status").asText()).isEqualTo("UP"));
        assertThat(servers.path("smtp").has("details")).as("no details for anonymous callers").isFalse();
        // each system is listed once its own check has run (they run one after another)
        java.time.Instant until = java.time.Instant.now().plusSeconds(20);
        JsonNode systems = open.path("components").path("systems").path("components");
        while (systems.size() < 5 && java.time.Instant.now().isBefore(until)) {
            Thread.sleep(200);
            systems = new Http(port).get("/actuator/health").json().path("components").path("systems").path("components");
        }
        assertThat(systems.fieldNames()).toIterable().contains("billing", "logs", "crm", "helpdesk", "notifications");

        StaffSession manager = new StaffSession(port);
        manager.signIn("manager", "demo-only-password");
        JsonNode shown = manager.get("/actuator/health").json().path("components").path("servers").path("components");
        assertThat(shown.path("smtp").path("details").path("since").asText()).isNotEmpty();
        assertThat(shown.path("smtp").path("details").has("outages")).isTrue();

        // the same as metrics (the test context has no Prometheus endpoint; the outage drill reads that one)
        assertThat(meters.get("dsrflow.dependency.up").tag("dependency", "kafka").tag("kind", "broker").gauge().value()).isEqualTo(1.0);
        assertThat(meters.find("dsrflow.dependency.outages").tag("dependency", "smtp").counter()).isNotNull();
    }
}
