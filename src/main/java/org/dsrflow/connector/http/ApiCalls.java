package org.dsrflow.connector.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.dsrflow.connector.ConnectorException;
import org.dsrflow.connector.http.HttpConnectorSpec.RetrySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one system's requests: authenticated, each within the timeout, tried again when the
 * failure is transient (no connection, no answer in time, 408, 429, 5xx), and otherwise turned
 * into a {@link ConnectorException} that says whether trying later can help.
 *
 * <p>Messages and logs name the method and the path as the file writes it, never the URL that
 * was sent (it holds the subject's address) nor the body of an answer (it may echo it back).
 */
final class ApiCalls {
    private static final Logger log = LoggerFactory.getLogger(ApiCalls.class);

    /** One request as the connector file describes it, with the values for its placeholders. */
    record Call(String operation, String method, UrlTemplate path, Map<String, String> values, Template body, boolean absentMeansEmpty) {

        /** For messages: {@code export conversations: GET /conversations?email={email}&page={page}}. */
        String described() {
            return operation + ": " + method + " " + path;
        }
    }

    private final HttpConnectorSpec spec;
    private final HttpClient client;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    ApiCalls(HttpConnectorSpec spec, Clock clock) {
        this.spec = spec;
        this.clock = clock;
        // No redirects: a client that follows one may carry the credentials to another host.
        this.client = HttpClient.newBuilder().connectTimeout(spec.timeout()).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /** The parsed answer; empty when a lookup is answered 404 (the system knows no such person). */
    Optional<JsonNode> send(Call call) {
        HttpRequest request = request(call);
        RetrySpec retry = spec.retry();
        for (int attempt = 1; ; attempt++) {
            String trouble;
            Duration wait = backoff(attempt);
            try {
                HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    return Optional.of(parse(call, response));
                }
                response.body().close();
                if (status == 404 && call.absentMeansEmpty()) {
                    return Optional.empty();
                }
                if (!transientStatus(status)) {
                    throw new ConnectorException(spec.system(), call.described() + " answered HTTP " + status + permanentReason(status), false);
                }
                trouble = "HTTP " + status;
                Optional<Duration> asked = status == 429 || status == 503 ? retryAfter(response.headers(), clock) : Optional.empty();
                if (asked.isPresent() && asked.get().compareTo(retry.maxWait()) > 0) {
                    throw new ConnectorException(spec.system(), call.described() + " answered HTTP " + status + " and asked for "
                            + asked.get().toSeconds() + " s (Retry-After), more than retry.max-wait " + retry.maxWait(), true);
                }
                wait = asked.orElse(wait);
            } catch (IOException e) {
                trouble = trouble(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectorException(spec.system(), call.described() + ": interrupted", true);
            }
            if (attempt >= retry.attempts()) {
                throw new ConnectorException(spec.system(), call.described() + " failed " + attempt + " time(s), the last: " + trouble, true);
            }
            log.info("{}: {}: {}; trying again in {} ms ({} of {})", spec.system(), call.described(), trouble, wait.toMillis(),
                    attempt + 1, retry.attempts());
            pause(wait, call);
        }
    }

    /** One GET, not retried: the status it is answered with. */
    int probe(UrlTemplate path) throws IOException, InterruptedException {
        HttpResponse<Void> response = client.send(request(new Call("check", "GET", path, Map.of(), null, false)),
                HttpResponse.BodyHandlers.discarding());
        return response.statusCode();
    }

    /** What went wrong, in words that hold neither the URL nor anything the system sent. */
    String trouble(IOException e) {
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + spec.timeout().toMillis() + " ms";
        }
        if (e instanceof ConnectException) {
            return "cannot connect";
        }
        return "connection failed (" + e.getClass().getSimpleName() + ")";
    }

    private HttpRequest request(Call call) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(spec.baseUrl() + call.path().expand(call.values())))
                .timeout(spec.timeout())
                .header("Accept", "application/json")
                .header("User-Agent", "dsrflow");
        spec.credentials().addTo(request);
        if (call.body() == null) {
            request.method(call.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(call.method(), HttpRequest.BodyPublishers.ofString(call.body().expand(call.values(), Template::json)));
        }
        return request.build();
    }

    private JsonNode parse(Call call, HttpResponse<InputStream> response) throws IOException {
        try (InputStream body = response.body()) {
            JsonNode answer = json.readTree(body);
            return answer == null ? MissingNode.getInstance() : answer;
        } catch (JsonProcessingException e) {
            // Not e.getMessage(): the parser quotes the text it choked on.
            throw new ConnectorException(spec.system(), call.described() + " answered HTTP " + response.statusCode()
                    + " with something that is not JSON", false);
        }
    }

    private void pause(Duration wait, Call call) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(spec.system(), call.described() + ": interrupted while waiting to try again", true);
        }
    }

    /** firstWait, doubled after each failure, never more than maxWait. */
    Duration backoff(int attempt) {
        Duration wait = spec.retry().firstWait().multipliedBy(1L << Math.min(attempt - 1, 20));
        return wait.compareTo(spec.retry().maxWait()) > 0 ? spec.retry().maxWait() : wait;
    }

    static boolean transientStatus(int status) {
        return status == 408 || status == 429 || status >= 500 && status <= 599;
    }

    private static String permanentReason(int status) {
        return switch (status) {
            case 401, 403 -> " (credentials refused; check the auth variables)";
            case 404 -> " (no such resource; check the path in the connector file)";
            case 400, 422 -> " (request refused; check the connector file against the API)";
            default -> status / 100 == 3 ? " (redirects are not followed; set base-url to the final address)" : "";
        };
    }

    /** {@code Retry-After} as seconds or as an HTTP date; absent or unreadable means no advice. */
    static Optional<Duration> retryAfter(HttpHeaders headers, Clock clock) {
        Optional<String> value = headers.firstValue("Retry-After").map(String::trim);
        if (value.isEmpty() || value.get().isEmpty()) {
            return Optional.empty();
        }
        if (value.get().chars().allMatch(Character::isDigit)) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value.get().length() > 9 ? "999999999" : value.get())));
        }
        try {
            Duration until = Duration.between(clock.instant(), ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return Optional.of(until.isNegative() ? Duration.ZERO : until);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
