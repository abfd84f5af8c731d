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
     * At most {@code parallel-cases} cases fanned out at once. A pool of its own: a case waits for its
     * tasks, which run on the fan-out pool, so sharing one pool could leave no thread for the tasks.
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
