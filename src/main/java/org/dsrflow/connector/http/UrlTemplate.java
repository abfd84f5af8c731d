package org.dsrflow.connector.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A path and query as a connector file writes them, e.g. {@code /conversations?email={email}&page={page}}.
 * Values are percent-encoded (everything but letters, digits and {@code -._~}), so an address with
 * {@code &}, {@code /} or {@code #} stays one value. A query parameter whose placeholder has no
 * value yet — the cursor before the first page — is left out.
 */
final class UrlTemplate {
    private final String text;
    private final Template path;
    private final List<Template> query = new ArrayList<>();

    private UrlTemplate(String text) {
        this.text = text;
        int q = text.indexOf('?');
        this.path = Template.parse(q < 0 ? text : text.substring(0, q));
        if (q >= 0) {
            for (String parameter : text.substring(q + 1).split("&", -1)) {
                query.add(Template.parse(parameter));
            }
        }
    }

    static UrlTemplate parse(String text) {
        return new UrlTemplate(text);
    }

    Set<String> placeholders() {
        Set<String> all = new LinkedHashSet<>(path.placeholders());
        query.forEach(p -> all.addAll(p.placeholders()));
        return all;
    }

    /** Whether {@code {name}} appears only as the whole value of query parameters ({@code after={cursor}}), so it can be left out. */
    boolean onlyAsQueryValue(String name) {
        if (path.placeholders().contains(name)) {
            return false;
        }
        String whole = "[^={}]+=\\{" + name + "}";
        return query.stream().filter(p -> p.placeholders().contains(name)).allMatch(p -> p.toString().matches(whole));
    }

    String expand(Map<String, String> values) {
        StringBuilder out = new StringBuilder(path.expand(values, UrlTemplate::encode));
        String separator = "?";
        for (Template parameter : query) {
            if (parameter.placeholders().stream().allMatch(name -> values.get(name) != null)) {
                out.append(separator).append(parameter.expand(values, UrlTemplate::encode));
                separator = "&";
            }
        }
        return out.toString();
    }

    /** RFC 3986 percent-encoding of one value, safe in a path segment and in a query value alike. */
    static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
