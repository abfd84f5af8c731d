package org.dsrflow.fulfilment;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

import org.dsrflow.DaemonPools;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The guard between fulfilment and the systems, and the bounded pool the fan-out runs in. */
@Configuration(proxyBeanMethods = false)
class FulfilmentConfig {

    @Bean
    SystemGuard systemGuard(@Value("${dsrflow.fulfilment.task-timeout}") Duration timeout,
                            @Value("${dsrflow.fulfilment.breaker.failures}") int failures,
                            @Value("${dsrflow.fulfilment.breaker.open-for}") Duration openFor) {
        return new SystemGuard(timeout, failures, openFor, Clock.systemUTC());
    }

    /**
     * Starts each claimed case's fan-out. How many cases are worked on at once is bounded by the
     * claim ({@code CaseWork}, {@code parallel-cases}), not by this pool: a case's tasks run on the
     * fan-out pool, and the case goes on there without holding one of these threads. A pool of its
     * own, so that starting a case never waits behind tasks.
     */
    @Bean(name = "casePool", destroyMethod = "shutdownNow")
    ExecutorService casePool(@Value("${dsrflow.fulfilment.parallel-cases:8}") int parallelCases) {
        return DaemonPools.fixed("dsrflow-case", parallelCases);
    }

    /** At most {@code max-parallel} system tasks at once, whatever the number of cases and systems. */
    @Bean(name = "fanoutPool", destroyMethod = "shutdownNow")
    ExecutorService fanoutPool(@Value("${dsrflow.fulfilment.max-parallel}") int maxParallel) {
        return DaemonPools.fixed("dsrflow-fanout", maxParallel);
    }
}
