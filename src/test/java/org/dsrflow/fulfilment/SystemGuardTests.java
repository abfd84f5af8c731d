package org.dsrflow.fulfilment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import org.dsrflow.connector.ConnectorException;
import org.junit.jupiter.api.Test;

class SystemGuardTests {
    /** A clock the test moves by hand. */
    static final class HandClock extends Clock {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final HandClock clock = new HandClock();
    final SystemGuard guard = new SystemGuard(Duration.ofMillis(300), 3, Duration.ofMinutes(1), clock);

    @Test
    void aCallThatDoesNotAnswerInTimeIsAbandonedAsARetriableFailure() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> guard.call("crm", () -> {
            Thread.sleep(10_000);
            return 1;
        })).isInstanceOf(ConnectorException.class).hasMessageContaining("no answer within")
                .satisfies(e -> assertThat(((ConnectorException) e).retriable()).isTrue());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void threeFailuresInARowOpenTheBreakerUntilItsTimeThenOneTrialDecides() {
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> guard.call("billing", () -> {
                calls.incrementAndGet();
                throw new ConnectorException("billing", "connection refused", true);
            })).hasMessageContaining("connection refused");
        }
        assertThat(guard.isOpen("billing")).isTrue();
        assertThatThrownBy(() -> guard.call("billing", calls::incrementAndGet)).hasMessageContaining("circuit open after 3 failures");
        assertThat(calls).as("not called while open").hasValue(3);
        assertThat(guard.call("logs", () -> "other systems are not affected")).isEqualTo("other systems are not affected");

        clock.now = clock.now.plus(Duration.ofMinutes(2));
        assertThatThrownBy(() -> guard.call("billing", () -> {
            throw new ConnectorException("billing", "still down", true);
        })).hasMessageContaining("still down");
        assertThat(guard.isOpen("billing")).as("a failed trial opens it again").isTrue();

        clock.now = clock.now.plus(Duration.ofMinutes(2));
        assertThat(guard.call("billing", () -> "back")).isEqualTo("back");
        assertThat(guard.isOpen("billing")).isFalse();
        assertThatThrownBy(() -> guard.call("billing", () -> {
            throw new ConnectorException("billing", "one failure", true);
        })).hasMessageContaining("one failure");
        assertThat(guard.isOpen("billing")).as("the count started again after the success").isFalse();
    }
}
