package org.dsrflow.cluster;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Several instances share one PostgreSQL: case work is claimed row by row (SKIP LOCKED), sweeps take
 * a transaction lock, and the mailbox is read by one leader at a time ({@code routePolicy: mailLeader}).
 */
@Configuration(proxyBeanMethods = false)
class ClusterConfig {

    @Bean(destroyMethod = "close")
    Leadership leadership(DataSource caseStore, @Value("${dsrflow.cluster.check-period:5000}") long checkMillis) {
        return new Leadership(caseStore, checkMillis);
    }

    @Bean
    LeaderRoutePolicy mailLeader(Leadership leadership) {
        return new LeaderRoutePolicy(leadership, "mail-intake");
    }

    /** Which roles this instance leads; always UP (a standby is healthy). */
    @Bean
    HealthIndicator leadershipHealthIndicator(Leadership leadership) {
        return () -> Health.up().withDetails(leadership.status()).build();
    }
}
