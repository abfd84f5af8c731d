package org.dsrflow.fulfilment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.dsrflow.connector.ConnectorException;

/**
 * Stands between fulfilment and each connected system: a call that does not answer within the
 * timeout is abandoned (and counts as a retriable failure), and a system that failed
 * {@code failuresToOpen} times in a row is not called at all for {@code openFor} — its tasks fail
 * at once, naming the breaker, instead of piling up against a system that is down. The first call
 * after that is a trial: success closes the breaker, failure opens it again.
 */
public final class SystemGuard {
    private record State(int consecutiveFailures, Instant openUntil) {
    }

    private final Duration timeout;
    private final int failuresToOpen;
    private final Duration openFor;
    private final Clock clock;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final ExecutorService calls = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dsrflow-system-call");
        t.setDaemon(true);
        return t;
    });

    public SystemGuard(Duration timeout, int failuresToOpen, Duration openFor, Clock clock) {
        this.timeout = timeout;
        this.failuresToOpen = failuresToOpen;
        this.openFor = openFor;
        this.clock = clock;
    }

    /** Runs a call to {@code system} within the timeout, unless its breaker is open. */
    public <T> T call(String system, Callable<T> work) {
        State state = states.get(system);
        Instant now = clock.instant();
        if (state != null && state.openUntil() != null && now.isBefore(state.openUntil())) {
            throw new ConnectorException(system, "circuit open after " + state.consecutiveFailures()
                    + " failures in a row; the system is not called again before " + state.openUntil(), true);
        }
        Future<T> running = calls.submit(work);
        try {
            T result = running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            states.remove(system);
            return result;
        } catch (TimeoutException e) {
            running.cancel(true);
            failed(system);
            throw new ConnectorException(system, "no answer within " + timeout.toSeconds() + " s", true);
        } catch (ExecutionException e) {
            failed(system);
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new ConnectorException(system, String.valueOf(e.getCause()), true);
        } catch (InterruptedException e) {
            running.cancel(true);
            Thread.currentThread().interrupt();
            throw new ConnectorException(system, "interrupted while waiting for the system", true);
        }
    }

    /** Whether calls to the system are held back now (for health reporting). */
    public boolean isOpen(String system) {
        State state = states.get(system);
        return state != null && state.openUntil() != null && clock.instant().isBefore(state.openUntil());
    }

    private void failed(String system) {
        states.compute(system, (name, before) -> {
            int failures = before == null ? 1 : before.consecutiveFailures() + 1;
            return new State(failures, failures >= failuresToOpen ? clock.instant().plus(openFor) : null);
        });
    }
}
