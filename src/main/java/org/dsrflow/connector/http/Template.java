package org.dsrflow.connector.http;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A text with {@code {placeholders}} as a connector file writes it. Values go in only when a
 * request is sent, each escaped for where it lands (see {@link UrlTemplate} and {@link #json}), so
 * a subject's address can never change the shape of a URL or a body.
 */
final class Template {
    /** A name in braces; JSON's own braces ({@code {"email": ...}}) never match, as a name cannot start with a quote. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_-]*)}");

    private final String text;
    private final List<String> literals = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    private Template(String text) {
        this.text = text;
        Matcher m = PLACEHOLDER.matcher(text);
        int from = 0;
        while (m.find()) {
            literals.add(text.substring(from, m.start()));
            names.add(m.group(1));
            from = m.end();
        }
        literals.add(text.substring(from));
    }

    static Template parse(String text) {
        return new Template(text);
    }

    Set<String> placeholders() {
        return new LinkedHashSet<>(names);
    }

    /** Each placeholder replaced by its value, escaped; a placeholder without a value is a bug (the file was checked at start). */
    String expand(Map<String, String> values, UnaryOperator<String> escape) {
        StringBuilder out = new StringBuilder(literals.get(0));
        for (int i = 0; i < names.size(); i++) {
            String value = values.get(names.get(i));
            if (value == null) {
                throw new IllegalStateException("no value for {" + names.get(i) + "} in " + text);
            }
            out.append(escape.apply(value)).append(literals.get(i + 1));
        }
        return out.toString();
    }

    /** A value as a JSON string, quotes included: {@code {"email": {email}}} becomes {@code {"email": "ann@example.com"}}. */
    static String json(String value) {
        return '"' + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(value)) + '"';
    }

    @Override
    public String toString() {
        return text;
    }
}
