package org.dsrflow;

/**
 * A value that came from outside, made fit to be repeated in a refusal or a problem report: at
 * most {@code max} characters, with control characters, line separators and broken surrogate
 * halves shown as {@code ?}, so an answer or a log line never carries a raw line break or NUL.
 */
public final class Printable {
    private Printable() {
    }

    public static String clip(String value, int max) {
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(max).forEach(c -> out.appendCodePoint(
                Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || Character.getType(c) == Character.SURROGATE ? '?' : c));
        return value.codePointCount(0, value.length()) > max ? out.append("...").toString() : out.toString();
    }
}
