package org.dsrflow.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import org.dsrflow.connector.ConnectorHealth;
import org.dsrflow.health.Dependencies.Kind;
import org.dsrflow.health.Dependencies.Status;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The outage view: {@code /actuator/health} lists {@code servers} (case store, SMTP, IMAP, Kafka) and
 * {@code systems} (every connected system), each DOWN while it does not answer; the metrics
 * {@code dsrflow_dependency_up}, {@code dsrflow_dependency_down_seconds} and
 * {@code dsrflow_dependency_outages_total} carry the same. Readiness does not depend on them: an
 * instance that cannot reach a server still takes requests in and keeps them.
 */
@Configuration(proxyBeanMethods = false)
class HealthConfig {

    @Bean(destroyMethod = "close")
    Dependencies dependencies(DataSource caseStore, ConnectorHealth connectors, Environment env, MeterRegistry meters,
                              @Value("${dsrflow.health.probe-period:PT10S}") Duration period,
                              @Value("${dsrflow.health.probe-timeout:PT3S}") Duration timeout) {
        List<Dependencies.Probe> probes = new ArrayList<>();
        probes.add(Probes.database("case-store", caseStore, timeout));
        probes.add(Probes.mailServer("smtp", env.getRequiredProperty("dsrflow.mail.smtp.uri"), timeout));
        if (env.getProperty("dsrflow.intake.mail.enabled", Boolean.class, true)) {
            probes.add(Probes.mailServer("imap", env.getRequiredProperty("dsrflow.intake.mail.uri"), timeout));
        }
        probes.add(Probes.kafka("kafka", env.getRequiredProperty("dsrflow.kafka.brokers"), timeout));
        return new Dependencies(probes, () -> connectors.lastChecks().entrySet().stream()
                .map(e -> new Dependencies.Outcome(e.getKey(), e.getValue().healthy(), String.join("; ", e.getValue().problems())))
                .toList(), period, timeout, meters);
    }

    /** The first checks run once the application is ready (the embedded servers start with it). */
    @Bean
    ApplicationListener<ApplicationReadyEvent> startDependencyChecks(Dependencies dependencies) {
        return ready -> dependencies.start();
    }

    @Bean
    HealthContributor servers(Dependencies dependencies) {
        return new Group(dependencies, false);
    }

    @Bean
    HealthContributor systems(Dependencies dependencies) {
        return new Group(dependencies, true);
    }

    static Health health(Status s) {
        Health.Builder b = s.up() == null ? Health.unknown() : s.up() ? Health.up() : Health.down();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("since", s.since());
        if (s.checkedAt() != null) {
            details.put("checkedAt", s.checkedAt());
        }
        if (s.problem() != null && !s.problem().isBlank()) {
            details.put("problem", s.problem());
        }
        details.put("outages", s.outages());
        return b.withDetails(details).build();
    }

    /** The servers or the systems, one health component each, read from the last checks (never blocks). */
    private record Group(Dependencies dependencies, boolean systems) implements CompositeHealthContributor {
        private boolean mine(Status s) {
            return (s.kind() == Kind.SYSTEM) == systems;
        }

        @Override
        public HealthContributor getContributor(String name) {
            return dependencies.status(name).filter(this::mine).<HealthContributor>map(s -> indicator(name)).orElse(null);
        }

        private HealthIndicator indicator(String name) {
            return () -> dependencies.status(name).map(HealthConfig::health).orElse(Health.unknown().build());
        }

        @Override
        public Iterator<NamedContributor<HealthContributor>> iterator() {
            return dependencies.all().stream().filter(this::mine)
                    .map(s -> NamedContributor.<HealthContributor>of(s.name(), indicator(s.name()))).iterator();
        }
    }
}
