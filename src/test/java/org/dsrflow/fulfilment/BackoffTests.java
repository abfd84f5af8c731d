package org.dsrflow.fulfilment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTests {

    @Test
    void theWaitDoublesWithEachAttemptUpToSixtyFourTimesTheDelay() {
        Duration minute = Duration.ofMinutes(1);
        assertThat(FulfilmentService.backoff(minute, 0)).isEqualTo(minute);
        assertThat(FulfilmentService.backoff(minute, 1)).isEqualTo(minute);
        assertThat(FulfilmentService.backoff(minute, 2)).isEqualTo(Duration.ofMinutes(2));
        assertThat(FulfilmentService.backoff(minute, 4)).isEqualTo(Duration.ofMinutes(8));
        assertThat(FulfilmentService.backoff(minute, 7)).isEqualTo(Duration.ofMinutes(64));
        assertThat(FulfilmentService.backoff(minute, 40)).isEqualTo(Duration.ofMinutes(64));
    }
}
