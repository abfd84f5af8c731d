package org.dsrflow.intake.mail;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough HTML-to-text to read what an HTML-only mail says; nothing is rendered or kept. */
final class HtmlText {
    // Tags stop at the next '<' as well as at '>': a mail of many unclosed tags is then read in
    // linear time, where searching each time to the end of the mail took quadratic time.
    private static final Pattern HIDDEN = Pattern.compile("(?i)<!--|<(script|style|head|title)\\b[^<>]*>");
    private static final Pattern BREAK = Pattern.compile("(?i)<\\s*(br|/p|/div|/li|/tr|/h[1-6])\\b[^<>]*>");
    private static final Pattern TAG = Pattern.compile("<[^<>]{0,2000}>");
    private static final Pattern NUMERIC = Pattern.compile("&#(x[0-9a-fA-F]{1,6}|[0-9]{1,7});");

    private HtmlText() {
    }

    static String toText(String html) {
        if (html == null || html.isBlank()) {
            return "";
        }
        String text = withoutHidden(html);
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

    /**
     * Drops comments and the script, style, head and title elements. One that is never closed stays
     * (its tag goes with the other tags). Each end is searched for once past any point, so a mail of
     * many unclosed elements costs time in proportion to its length.
     */
    private static String withoutHidden(String html) {
        Map<String, Integer> ends = new HashMap<>(); // where each end was last found; -1: nowhere further on
        StringBuilder out = new StringBuilder();
        Matcher open = HIDDEN.matcher(html);
        int from = 0;
        while (open.find(from)) {
            String end = open.group(1) == null ? "-->" : "</" + open.group(1).toLowerCase(Locale.ROOT);
            Integer found = ends.get(end);
            if (found == null || found >= 0 && found < open.end()) {
                found = indexIgnoringCase(html, end, open.end());
                ends.put(end, found);
            }
            if (found < 0) {
                out.append(html, from, open.end());
            } else {
                out.append(html, from, open.start()).append(' ');
                int close = end.equals("-->") ? found + end.length() - 1 : html.indexOf('>', found);
                from = close < 0 ? html.length() : close + 1;
                continue;
            }
            from = open.end();
        }
        return out.append(html, from, html.length()).toString();
    }

    private static int indexIgnoringCase(String text, String part, int from) {
        for (int i = from; i <= text.length() - part.length(); i++) {
            if (text.regionMatches(true, i, part, 0, part.length())) {
                return i;
            }
        }
        return -1;
    }
}
