package org.dsrflow.connector.jdbc;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Instants as exports write them, exactly as {@link Instant#toString()} does
 * ({@code 2026-06-01T08:00:00Z}, with 3, 6 or 9 digits of fraction when there is one), without
 * going through a {@code DateTimeFormatter}: an export writes one per row.
 */
final class IsoInstant {
    private IsoInstant() {
    }

    /** The first second of the year 1000 and of the year 10000: between them every year has four digits. */
    private static final long FIRST = Instant.parse("1000-01-01T00:00:00Z").getEpochSecond();
    private static final long END = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();

    static String format(Instant instant) {
        if (instant.getEpochSecond() < FIRST || instant.getEpochSecond() >= END) {
            return instant.toString(); // signs and wide years: left to the JDK
        }
        return format(instant.atOffset(ZoneOffset.UTC));
    }

    /**
     * PostgreSQL's {@code infinity} and {@code -infinity}, which the JDBC driver hands over as
     * {@link OffsetDateTime#MAX} and {@link OffsetDateTime#MIN}, are written as those words (as the
     * database writes them, and as an export read with COPY has them).
     */
    static String format(OffsetDateTime at) {
        if (at.equals(OffsetDateTime.MAX)) {
            return "infinity";
        }
        if (at.equals(OffsetDateTime.MIN)) {
            return "-infinity";
        }
        Instant instant = at.toInstant();
        if (instant.getEpochSecond() < FIRST || instant.getEpochSecond() >= END) {
            return instant.toString();
        }
        OffsetDateTime utc = at.getOffset().equals(ZoneOffset.UTC) ? at : at.withOffsetSameInstant(ZoneOffset.UTC);
        int year = utc.getYear();
        int nano = utc.getNano();
        char[] out = buffer(nano);
        put(out, 0, year, 4);
        out[4] = '-';
        put(out, 5, utc.getMonthValue(), 2);
        out[7] = '-';
        put(out, 8, utc.getDayOfMonth(), 2);
        out[10] = 'T';
        put(out, 11, utc.getHour(), 2);
        out[13] = ':';
        put(out, 14, utc.getMinute(), 2);
        out[16] = ':';
        put(out, 17, utc.getSecond(), 2);
        return finish(out, nano);
    }

    /** How many digits of fraction {@link Instant#toString()} writes for a nanosecond value: 0, 3, 6 or 9. */
    private static int fractionDigits(int nano) {
        return nano == 0 ? 0 : nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
    }

    /** Room for {@code yyyy-mm-ddThh:mm:ss}, the fraction of {@code nano} and the {@code Z}. */
    static char[] buffer(int nano) {
        int digits = fractionDigits(nano);
        return new char[20 + (digits == 0 ? 0 : digits + 1)];
    }

    /** Writes the fraction and the {@code Z} after the seconds (at 19) of a {@link #buffer} and returns it as text. */
    static String finish(char[] out, int nano) {
        int digits = fractionDigits(nano);
        int end = 19;
        if (digits > 0) {
            out[end++] = '.';
            put(out, end, nano / pow10(9 - digits), digits);
            end += digits;
        }
        out[end] = 'Z';
        return new String(out);
    }

    private static void put(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static int pow10(int n) {
        int p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }
}
