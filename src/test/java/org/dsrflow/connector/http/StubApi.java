package org.dsrflow.connector.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server that answers from a script — the answers queued with {@link #then}, after
 * them {@link #otherwise} — and keeps every request exactly as it arrived, so tests can say what
 * a connector sent and how a system's failures reach it.
 */
final class StubApi implements AutoCloseable {

    /** A request as the server saw it: raw (still encoded) path and query, headers, body, and when it came. */
    record Received(String method, String rawPath, String rawQuery, Headers headers, String body, long atNanos) {
        String header(String name) {
            return headers.getFirst(name);
        }
    }

    private record Answer(int status, String body, String[] headers) {
    }

    private final HttpServer server;
    private final Deque<Answer> script = new ArrayDeque<>();
    private Answer otherwise = new Answer(200, "{\"items\": []}", new String[0]);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Duration delay = Duration.ZERO;

    private StubApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    static StubApi start() throws IOException {
        return new StubApi();
    }

    /** Queues an answer; {@code headers} as name, value, name, value... */
    synchronized StubApi then(int status, String body, String... headers) {
        script.add(new Answer(status, body, headers));
        return this;
    }

    /** The answer once the queue is empty. */
    synchronized StubApi otherwise(int status, String body, String... headers) {
        otherwise = new Answer(status, body, headers);
        return this;
    }

    /** Answers every request only after this long, like a system that hangs. */
    StubApi delay(Duration delay) {
        this.delay = delay;
        return this;
    }

    List<Received> received() {
        return received;
    }

    Received last() {
        return received.get(received.size() - 1);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    System.nanoTime()));
            Thread.sleep(delay.toMillis());
            Answer answer;
            synchronized (this) {
                answer = script.isEmpty() ? otherwise : script.poll();
            }
            for (int i = 0; i + 1 < answer.headers().length; i += 2) {
                exchange.getResponseHeaders().add(answer.headers()[i], answer.headers()[i + 1]);
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
