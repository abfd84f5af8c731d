package org.dsrflow.connector.jdbc;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.dsrflow.connector.RecordSink;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * Reads one table's export from PostgreSQL with {@code COPY (select …) TO STDOUT} instead of a
 * cursor. A cursor is read a fetch at a time — the server waits while the client works, and never
 * runs the query in parallel, since its portal may be suspended between fetches — while COPY
 * streams every row as fast as the client takes them. Each column is decoded from COPY's text by
 * its type into the same value the cursor would have given ({@code int4} an Integer, {@code
 * timestamptz} ISO-8601 text, …). Only tables whose columns all have a type listed here are read
 * this way; any other table is read through the cursor.
 *
 * <p>The subject's identifiers are never written into the statement: they are set beforehand as
 * transaction-local settings ({@code set_config}, a bound parameter) that the statement reads with
 * {@code current_setting}. The planner folds those values in when it estimates, so the plan is
 * the one a literal would get.
 */
final class PgCopyRows {
    /** A column's value from its text in COPY's output (escapes already undone). */
    @FunctionalInterface
    private interface Decoder {
        Object decode(byte[] text, int offset, int length);
    }

    private final String[] labels;
    private final Decoder[] decoders;

    private PgCopyRows(String[] labels, Decoder[] decoders) {
        this.labels = labels;
        this.decoders = decoders;
    }

    /** A reader for these columns (as {@code DatabaseMetaData} names their types), if every type is one it decodes. */
    static Optional<PgCopyRows> forColumns(List<String> labels, List<String> typeNames) {
        Decoder[] decoders = new Decoder[labels.size()];
        for (int i = 0; i < decoders.length; i++) {
            Decoder decoder = decoder(typeNames.get(i));
            if (decoder == null) {
                return Optional.empty();
            }
            decoders[i] = decoder;
        }
        return Optional.of(new PgCopyRows(labels.toArray(String[]::new), decoders));
    }

    private static Decoder decoder(String typeName) {
        return switch (typeName == null ? "" : typeName.toLowerCase(java.util.Locale.ROOT)) {
            case "varchar", "text", "bpchar", "char", "name", "citext" -> PgCopyRows::text;
            case "uuid" -> (b, o, n) -> java.util.UUID.fromString(text(b, o, n));
            case "int2", "int4", "serial", "smallserial" -> PgCopyRows::parseInt;
            case "int8", "bigserial" -> PgCopyRows::parseLong;
            case "bool" -> (b, o, n) -> n == 1 && b[o] == 't';
            case "float4" -> (b, o, n) -> Float.parseFloat(text(b, o, n));
            case "float8" -> (b, o, n) -> Double.parseDouble(text(b, o, n));
            case "numeric" -> PgCopyRows::numeric;
            case "date" -> PgCopyRows::text; // ISO dates are already what the cursor path writes
            case "timestamptz" -> PgCopyRows::instant;
            default -> null;
        };
    }

    /** Sets each of {@code settings} (name → value) for the rest of the transaction, in one statement, the values bound. */
    static void set(Connection c, Map<String, String> settings) throws SQLException {
        StringBuilder select = new StringBuilder("select ");
        int i = 0;
        for (String name : settings.keySet()) {
            select.append(i++ == 0 ? "" : ", ").append("set_config('").append(name).append("', ?, true)");
        }
        try (PreparedStatement ps = c.prepareStatement(select.toString())) {
            i = 1;
            for (String value : settings.values()) {
                ps.setString(i++, value);
            }
            ps.executeQuery().close();
        }
    }

    /**
     * Streams the rows of {@code copy} (a {@code COPY … TO STDOUT}) into the sink. The connection
     * must be in a transaction, with {@code TimeZone} UTC and the settings the statement reads set.
     */
    long stream(Connection c, String copy, RecordSink sink) throws SQLException {
        CopyOut out = c.unwrap(PGConnection.class).getCopyAPI().copyOut(copy);
        long n = 0;
        try {
            byte[] row;
            byte[] scratch = new byte[256];
            while ((row = out.readFromCopy()) != null) {
                scratch = record(row, scratch, sink);
                n++;
            }
        } catch (Throwable e) {
            if (out.isActive()) {
                // The sink failed half-way. The rest of the rows are read and dropped: that leaves the
                // connection in step with the server (cancelling the COPY leaves it out of step).
                try {
                    while (out.readFromCopy() != null) {
                        // discard
                    }
                } catch (SQLException drain) {
                    e.addSuppressed(drain);
                }
            }
            throw e;
        }
        return n;
    }

    /** Splits one line of COPY text into its columns, decodes them and hands the record over; returns the scratch buffer. */
    private byte[] record(byte[] line, byte[] scratch, RecordSink sink) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>(labels.length * 2);
        int end = line.length > 0 && line[line.length - 1] == '\n' ? line.length - 1 : line.length;
        int start = 0;
        for (int column = 0; column < labels.length; column++) {
            if (start > end) {
                throw new SQLException("COPY sent a row with " + column + " columns, expected " + labels.length);
            }
            int stop = start;
            boolean escaped = false;
            while (stop < end && line[stop] != '\t') {
                escaped |= line[stop] == '\\';
                stop++;
            }
            Object value;
            if (stop - start == 2 && line[start] == '\\' && line[start + 1] == 'N') {
                value = null;
            } else if (!escaped) {
                value = decoders[column].decode(line, start, stop - start);
            } else {
                if (scratch.length < stop - start) {
                    scratch = new byte[Math.max(stop - start, scratch.length * 2)];
                }
                int length = unescape(line, start, stop, scratch);
                value = decoders[column].decode(scratch, 0, length);
            }
            row.put(labels[column], value);
            start = stop + 1;
        }
        if (start <= end) {
            throw new SQLException("COPY sent a row with more than " + labels.length + " columns");
        }
        sink.record(row);
        return scratch;
    }

    /** Undoes COPY's text escapes ({@code \\}, {@code \t}, {@code \n}, …, octal and hex bytes) into {@code into}. */
    static int unescape(byte[] in, int from, int to, byte[] into) {
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = in[i];
            if (b != '\\' || i + 1 >= to) {
                into[n++] = b;
                continue;
            }
            byte c = in[++i];
            switch (c) {
                case 'b' -> into[n++] = '\b';
                case 'f' -> into[n++] = '\f';
                case 'n' -> into[n++] = '\n';
                case 'r' -> into[n++] = '\r';
                case 't' -> into[n++] = '\t';
                case 'v' -> into[n++] = 0x0b;
                case 'x' -> {
                    int value = 0;
                    int digits = 0;
                    while (digits < 2 && i + 1 < to && Character.digit(in[i + 1], 16) >= 0) {
                        value = value * 16 + Character.digit(in[++i], 16);
                        digits++;
                    }
                    into[n++] = digits == 0 ? (byte) 'x' : (byte) value;
                }
                default -> {
                    if (c >= '0' && c <= '7') {
                        int value = c - '0';
                        for (int digits = 1; digits < 3 && i + 1 < to && in[i + 1] >= '0' && in[i + 1] <= '7'; digits++) {
                            value = value * 8 + in[++i] - '0';
                        }
                        into[n++] = (byte) value;
                    } else {
                        into[n++] = c; // \\ and any other escaped character stand for themselves
                    }
                }
            }
        }
        return n;
    }

    private static String text(byte[] b, int offset, int length) {
        return new String(b, offset, length, StandardCharsets.UTF_8);
    }

    private static long parseLong(byte[] b, int offset, int length) {
        if (length == 0) {
            throw new NumberFormatException("an empty number in COPY's output");
        }
        boolean negative = b[offset] == '-';
        long value = 0;
        for (int i = negative ? offset + 1 : offset; i < offset + length; i++) {
            int digit = b[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new NumberFormatException("not a number in COPY's output: " + text(b, offset, length));
            }
            value = value * 10 - digit; // accumulate negatively: Long.MIN_VALUE fits
        }
        return negative ? value : -value;
    }

    /** An int4: a wider value means the column changed type since the last check, and is refused rather than cut. */
    private static Object parseInt(byte[] b, int offset, int length) {
        long value = parseLong(b, offset, length);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new NumberFormatException("a value too wide for its integer column in COPY's output (the column's type changed?)");
        }
        return (int) value;
    }

    private static Object numeric(byte[] b, int offset, int length) {
        String text = text(b, offset, length);
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> new BigDecimal(text);
        };
    }

    /**
     * {@code 2026-06-01 08:00:00.12+00} (ISO style, time zone UTC) as {@code 2026-06-01T08:00:00.120Z},
     * exactly as {@link IsoInstant} writes the same instant. Anything else — {@code infinity}, a
     * year after 9999 or BC — is kept as the database wrote it.
     */
    static String instant(byte[] b, int offset, int length) {
        // yyyy-mm-dd hh:mm:ss[.f{1,6}]+00
        if (length < 22 || b[offset + 4] != '-' || b[offset + 10] != ' ' || b[offset + length - 3] != '+'
                || b[offset + length - 2] != '0' || b[offset + length - 1] != '0') {
            return text(b, offset, length);
        }
        int fractionDigits = length == 22 ? 0 : length - 23;
        if (fractionDigits < 0 || fractionDigits > 6 || (fractionDigits > 0 && b[offset + 19] != '.')) {
            return text(b, offset, length);
        }
        int nano = 0;
        for (int i = 0; i < fractionDigits; i++) {
            nano = nano * 10 + (b[offset + 20 + i] - '0');
        }
        for (int i = fractionDigits; i < 9; i++) {
            nano *= 10;
        }
        char[] out = IsoInstant.buffer(nano);
        for (int i = 0; i < 19; i++) {
            out[i] = (char) b[offset + i];
        }
        out[10] = 'T';
        return IsoInstant.finish(out, nano);
    }
}
