package org.dsrflow.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class IsoInstantTests {
    @Test
    void writesWhatInstantToStringWrites() {
        for (String text : new String[] {"2026-06-01T08:00:00Z", "2026-06-01T08:00:00.120Z", "2026-06-01T08:00:00.000450Z",
            "2026-06-01T08:00:00.000000007Z", "1000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "0999-12-31T23:59:59Z",
            "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z"}) {
            Instant instant = Instant.parse(text);
            assertThat(IsoInstant.format(instant)).as(text).isEqualTo(instant.toString());
        }
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 20_000; i++) {
            long nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000L;
                case 2 -> random.nextInt(1_000_000) * 1_000L;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(random.nextLong(-30_000_000_000L, 250_000_000_000L), nanos);
            assertThat(IsoInstant.format(instant)).isEqualTo(instant.toString());
        }
    }

    @Test
    void theDatabasesInfinitiesAndTheFarEndsOfTimeAreWritten() {
        assertThat(IsoInstant.format(OffsetDateTime.MAX)).isEqualTo("infinity");
        assertThat(IsoInstant.format(OffsetDateTime.MIN)).isEqualTo("-infinity");
        assertThat(IsoInstant.format(Instant.MAX)).isEqualTo(Instant.MAX.toString());
        assertThat(IsoInstant.format(Instant.MIN)).isEqualTo(Instant.MIN.toString());
        OffsetDateTime late = OffsetDateTime.of(9999, 12, 31, 23, 0, 0, 0, ZoneOffset.ofHours(-5));
        assertThat(IsoInstant.format(late)).isEqualTo(late.toInstant().toString()).isEqualTo("+10000-01-01T04:00:00Z");
    }

    @Test
    void anOffsetIsTurnedIntoUtcFirst() {
        OffsetDateTime beijing = OffsetDateTime.of(2026, 6, 1, 8, 0, 0, 5_000_000, ZoneOffset.ofHours(8));
        assertThat(IsoInstant.format(beijing)).isEqualTo("2026-06-01T00:00:00.005Z");
        assertThat(IsoInstant.format(OffsetDateTime.of(2026, 1, 1, 1, 30, 0, 0, ZoneOffset.ofHours(2))))
                .isEqualTo("2025-12-31T23:30:00Z");
    }
}
