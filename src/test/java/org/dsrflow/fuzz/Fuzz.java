package org.dsrflow.fuzz;

import static org.assertj.core.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.quicktheories.core.Gen;

/**
 * Runs the fuzz properties of the entry points (docs/fuzzing.md). Each property gets {@link #TRIES}
 * generated inputs; a failing input is shrunk to the smallest one found and printed with the seed,
 * and {@code -DQT_SEED=<seed>} runs the same inputs again. {@code -Dfuzz.tries=N} runs more or fewer.
 */
public final class Fuzz {
    public static final int TRIES = Integer.getInteger("fuzz.tries", 10_000);
    /** A refusal's message longer than this is not something a person reads. */
    public static final int MAX_MESSAGE = 600;
    /** How much of a failing input the report shows. */
    private static final int SHOWN = 600;

    private Fuzz() {
    }

    /**
     * Checks {@code property} for at least {@link #TRIES} distinct inputs of {@code inputs}; fails with
     * the smallest failing input. QuickTheories skips an input it has already tried, so it is asked
     * again for the difference until that many have run.
     */
    public static <T> void check(Gen<T> inputs, Consumer<T> property) {
        AtomicInteger runs = new AtomicInteger();
        while (runs.get() < TRIES) {
            qt().withExamples(Math.max(100, (TRIES - runs.get()) * 11 / 10)).forAll(inputs.describedAs(Fuzz::show)).checkAssert(input -> {
                runs.incrementAndGet();
                property.accept(input);
            });
        }
    }

    /**
     * Calls an entry point with one input. It either answers, and the answer must pass
     * {@code wellFormed}; or it refuses with one of the {@code refusals} types and a readable
     * message. Anything else thrown, errors such as StackOverflowError included, is a finding.
     */
    @SafeVarargs
    public static <R> void expect(Callable<R> call, Consumer<? super R> wellFormed, Class<? extends Throwable>... refusals) {
        expect(call, wellFormed, refusal -> { }, refusals);
    }

    /** As {@link #expect(Callable, Consumer, Class[])}, and a refusal must pass {@code refused} too (its status, its code). */
    @SafeVarargs
    public static <R> void expect(Callable<R> call, Consumer<? super R> wellFormed, Consumer<Throwable> refused,
                                  Class<? extends Throwable>... refusals) {
        R answer;
        try {
            answer = call.call();
        } catch (Throwable t) {
            if (Arrays.stream(refusals).noneMatch(type -> type.isInstance(t))) {
                throw new AssertionError("not a documented refusal: " + t, t);
            }
            readable(t.getMessage());
            refused.accept(t);
            return;
        }
        wellFormed.accept(answer);
    }

    /** A text for people: not blank, not endless, and with no raw control character or line separator in it. */
    public static void readable(String message) {
        if (message == null || message.isBlank()) {
            fail("blank message");
        }
        int length = message.codePointCount(0, message.length());
        if (length > MAX_MESSAGE) {
            fail("message of %d characters: %s", length, show(message));
        }
        message.codePoints().filter(Fuzz::isControl).findFirst()
                .ifPresent(c -> fail("message holds the control character U+%04X: %s", c, show(message)));
    }

    /** A short name or value echoed back (a field name, say): absent, or free of control characters. */
    public static void echoable(String value) {
        if (value != null) {
            value.codePoints().filter(Fuzz::isControl).findFirst()
                    .ifPresent(c -> fail("echoed value holds the control character U+%04X: %s", c, show(value)));
        }
    }

    static boolean isControl(int c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }

    /** An input as the failure report prints it: control characters escaped, long texts clipped. */
    public static String show(Object input) {
        String text = input instanceof byte[] bytes ? new String(bytes, StandardCharsets.ISO_8859_1)
                : input instanceof Object[] array ? Arrays.deepToString(array) : String.valueOf(input);
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(SHOWN).forEach(c -> {
            if (isControl(c) || Character.isSurrogate((char) c) && Character.isBmpCodePoint(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        if (text.length() > SHOWN) {
            out.append("... (").append(text.length()).append(" characters)");
        }
        return out.toString();
    }
}
