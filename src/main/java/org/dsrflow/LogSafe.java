package org.dsrflow;

import java.util.regex.Pattern;

/**
 * Makes error texts fit for the application log: a mail server's "550 <ann@example.com>: no such
 * user" or a driver message quoting a row must not put a subject's address into the log.
 */
public final class LogSafe {
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+\\.)+[A-Za-z]{2,63}");
    private static final Pattern PHONE = Pattern.compile("\\+?\\d[\\d -]{7,}\\d");

    private LogSafe() {
    }

    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        return PHONE.matcher(EMAIL.matcher(text).replaceAll("<address>")).replaceAll("<number>");
    }
}
