package org.dsrflow.connector.http;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.dsrflow.connector.FileProblems;

/**
 * The header that authenticates every request to a system, built from secrets the environment
 * holds. Not a record, so that no {@code toString()} (of the spec, in a log line) ever prints it.
 */
final class Credentials {
    static final Credentials NONE = new Credentials(null, null);

    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]{0,127}");
    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final String header;
    private final String value;

    private Credentials(String header, String value) {
        this.header = header;
        this.value = value;
    }

    static Credentials bearer(String token) {
        return new Credentials("Authorization", "Bearer " + token);
    }

    static Credentials basic(String username, String password) {
        String pair = username + ":" + password;
        return new Credentials("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }

    static Credentials apiKey(String header, String key) {
        return new Credentials(header, key);
    }

    /**
     * The {@code auth:} block: which kind, and the names of the environment variables that hold its
     * secrets. Their values are looked up in {@code environment}; the file never holds a secret.
     */
    static Credentials read(JsonNode auth, FileProblems problems, UnaryOperator<String> environment) {
        String at = "auth.";
        String type = problems.kind(auth, "auth", List.of("bearer", "basic", "api-key", "none"));
        if (type == null) {
            return null;
        }
        switch (type) {
            case "bearer" -> {
                problems.onlyKeys(auth, at, "type", "token-env");
                String token = secret(auth, "token-env", problems, environment);
                return token == null ? null : bearer(token);
            }
            case "basic" -> {
                problems.onlyKeys(auth, at, "type", "username-env", "password-env");
                String username = secret(auth, "username-env", problems, environment);
                String password = secret(auth, "password-env", problems, environment);
                if (username != null && username.contains(":")) {
                    problems.add(at + "username-env", "the user name in " + auth.get("username-env").asText()
                            + " contains ':', which basic auth cannot carry");
                }
                return username == null || password == null ? null : basic(username, password);
            }
            case "api-key" -> {
                problems.onlyKeys(auth, at, "type", "header", "key-env");
                String header = problems.text(auth, "header", at, true);
                if (header != null && !HEADER.matcher(header).matches()) {
                    problems.add(at + "header", "expected a header name (letters, digits, -), got '" + header + "'");
                    header = null;
                }
                String key = secret(auth, "key-env", problems, environment);
                return header == null || key == null ? null : apiKey(header, key);
            }
            default -> {
                problems.onlyKeys(auth, at, "type");
                return NONE;
            }
        }
    }

    /** The value of the variable the field names. The file holds only the name: a secret is never written in it. */
    private static String secret(JsonNode auth, String field, FileProblems problems, UnaryOperator<String> environment) {
        String name = problems.text(auth, field, "auth.", true);
        if (name == null) {
            return null;
        }
        if (!VARIABLE.matcher(name).matches()) {
            problems.add("auth." + field, "expected the name of an environment variable (letters, digits, _), not the secret itself");
            return null;
        }
        String value = environment.apply(name);
        if (value == null || value.isBlank()) {
            problems.add("auth." + field, "the environment variable " + name + " is not set");
            return null;
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            problems.add("auth." + field, "the value of " + name
                    + " contains a control character (a line break?), which a header cannot carry");
            return null;
        }
        return value;
    }

    void addTo(HttpRequest.Builder request) {
        if (header != null) {
            request.header(header, value);
        }
    }

    @Override
    public String toString() {
        return header == null ? "no credentials" : header + ": (secret)";
    }
}
