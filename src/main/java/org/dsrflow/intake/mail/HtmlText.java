package org.dsrflow.intake.mail;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough HTML-to-text to read what an HTML-only mail says; nothing is rendered or kept. */
final class HtmlText {
    private static final Pattern INVISIBLE = Pattern.compile("(?is)<(script|style|head|title)\\b[^>]*>.*?</\\1\\s*>");
    private static final Pattern COMMENT = Pattern.compile("(?s)<!--.*?-->");
    private static final Pattern BREAK = Pattern.compile("(?i)<\\s*(br|/p|/div|/li|/tr|/h[1-6])\\b[^>]*>");
    private static final Pattern TAG = Pattern.compile("(?s)<[^>]{0,2000}>");
    private static final Pattern NUMERIC = Pattern.compile("&#(x[0-9a-fA-F]{1,6}|[0-9]{1,7});");

    private HtmlText() {
    }

    static String toText(String html) {
        if (html == null || html.isBlank()) {
            return "";
        }
        String text = INVISIBLE.matcher(html).replaceAll(" ");
        text = COMMENT.matcher(text).replaceAll(" ");
        text = BREAK.matcher(text).replaceAll("\n");
        text = TAG.matcher(text).replaceAll(" ");
        text = text.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&apos;", "'");
        Matcher m = NUMERIC.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String n = m.group(1);
            int cp;
            try {
                cp = n.startsWith("x") ? Integer.parseInt(n.substring(1), 16) : Integer.parseInt(n);
            } catch (NumberFormatException e) {
                cp = 0xFFFD;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : " "));
        }
        m.appendTail(out);
        return out.toString().replace("&amp;", "&").replaceAll("[ \\t\\x0B\\f]+", " ").replaceAll("\\n\\s*\\n+", "\n");
    }
}
