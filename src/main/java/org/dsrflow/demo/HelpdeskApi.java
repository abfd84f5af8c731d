package org.dsrflow.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Demo only: plays a third-party helpdesk SaaS that dsrflow reaches with an http connector
 * ({@code docs/examples/helpdesk.yaml}). A real HTTP server on the loopback address, data in
 * memory, seeded with two customers of the demo systems and their support conversations.
 *
 * <p>Every endpoint needs {@code Authorization: Bearer <token>}, {@code /health} included, so a
 * check also proves the token. Under {@code /api}:
 * <ul>
 *   <li>{@code GET /health} — {@code {"status": "ok"}}</li>
 *   <li>{@code GET /contacts?email=} — {@code {"contacts": [...]}}; {@code DELETE /contacts?email=} — {@code {"deleted": n}}</li>
 *   <li>{@code GET /conversations?email=&page=&per_page=} — {@code {"items": [...], "page": p}}; a page past the end is empty</li>
 *   <li>{@code POST /conversations/anonymize} with {@code {"email": ...}} — removes the customer's address, name and
 *       messages from their conversations (the agents' replies stay); {@code {"anonymized": n}}, 0 the second time</li>
 * </ul>
 * Addresses are compared without regard to case. Run it alone with {@code main} (port, default 8099).
 */
public final class HelpdeskApi implements AutoCloseable {
    /** The bearer token the demo accepts unless it is given another. */
    public static final String DEMO_TOKEN = "demo-helpdesk-token";
    private static final int DEFAULT_PAGE_SIZE = 20;
    private static final String REMOVED = "[removed at the customer's request]";
    private static final Customer ALICE = new Customer("alice.chen@example.com", "Alice Chen");

    // Shaped as the API answers: Jackson writes them as they are.
    private record Message(String from, String body, @JsonProperty("sent_at") String sentAt) {
    }

    private record Customer(String email, String name) {
    }

    /** Anonymized, a conversation has no customer: nothing in it leads back to the person. */
    private record Conversation(long id, Customer customer, String subject, String status, @JsonProperty("created_at") String createdAt,
                                List<Message> messages) {
        boolean belongsTo(String email) {
            return customer != null && email.equalsIgnoreCase(customer.email());
        }
    }

    private record Contact(long id, String email, String name, String phone, String language) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final String token;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "helpdesk-api");
        t.setDaemon(true);
        return t;
    });
    private final List<Contact> contacts = new ArrayList<>();
    private final List<Conversation> conversations = new ArrayList<>();

    private HelpdeskApi(int port, String token) throws IOException {
        this.token = token;
        seed();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/api/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** Starts the API on the port (0: any free one), accepting the given bearer token. */
    public static HelpdeskApi start(int port, String token) throws IOException {
        return new HelpdeskApi(port, token);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** What a connector file's {@code base-url} is for this server. */
    public String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":" + port() + "/api";
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    public static void main(String[] args) throws IOException {
        String token = System.getenv().getOrDefault("DSRFLOW_HELPDESK_TOKEN", DEMO_TOKEN);
        HelpdeskApi api = start(args.length > 0 ? Integer.parseInt(args[0]) : 8099, token);
        System.out.println("Helpdesk API on " + api.baseUrl() + " (bearer token: "
                + (token.equals(DEMO_TOKEN) ? DEMO_TOKEN : "the value of DSRFLOW_HELPDESK_TOKEN") + "); Ctrl-C stops it");
    }

    private void seed() {
        contacts.add(new Contact(501, "alice.chen@example.com", "Alice Chen", "+1 415 555 0147", "en"));
        contacts.add(new Contact(502, "li.wei@example.cn", "李伟", "+86 138 0013 8000", "zh"));
        conversations.add(started(9001, ALICE, "Cannot log in to the console", "closed", "2024-11-02T08:15:00Z",
                "Hi, this is Alice Chen. My login fails since yesterday.", "We reset your session; please try again."));
        conversations.add(started(9002, ALICE, "Invoice address", "closed", "2025-01-20T10:02:00Z",
                "Please change the invoice address to 12 Harbour Road.", "Done, the next invoice uses it."));
        conversations.add(started(9003, ALICE, "Disk quota", "open", "2025-03-05T16:40:00Z",
                "Can my disk quota be raised to 2 TB?", "We have asked the storage team."));
        conversations.add(started(9004, new Customer("li.wei@example.cn", "李伟"), "发票抬头修改", "closed", "2025-02-11T02:30:00Z",
                "你好，我是李伟，请把发票抬头改为个人。", "已修改，下一张发票生效。"));
    }

    /** A conversation opened by the customer's question, with an agent's answer an hour later. */
    private static Conversation started(long id, Customer customer, String subject, String status, String at, String question,
                                        String answer) {
        String answeredAt = java.time.Instant.parse(at).plusSeconds(3600).toString();
        return new Conversation(id, customer, subject, status, at,
                List.of(new Message("customer", question, at), new Message("agent", answer, answeredAt)));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                reply(exchange, 401, Map.of("error", "unauthorized"));
                return;
            }
            String path = exchange.getRequestURI().getPath().substring("/api".length());
            String route = exchange.getRequestMethod() + " " + path;
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            switch (route) {
                case "GET /health" -> reply(exchange, 200, Map.of("status", "ok"));
                case "GET /contacts" -> withEmail(exchange, query, email -> Map.of("contacts", contactsOf(email)));
                case "DELETE /contacts" -> withEmail(exchange, query, email -> Map.of("deleted", deleteContacts(email)));
                case "GET /conversations" -> conversationsPage(exchange, query);
                case "POST /conversations/anonymize" -> anonymize(exchange);
                default -> reply(exchange, path.matches("/(health|contacts|conversations|conversations/anonymize)") ? 405 : 404,
                        Map.of("error", "no such endpoint"));
            }
        }
    }

    private void conversationsPage(HttpExchange exchange, Map<String, String> query) throws IOException {
        int page;
        int perPage;
        try {
            page = Integer.parseInt(query.getOrDefault("page", "1"));
            perPage = Integer.parseInt(query.getOrDefault("per_page", Integer.toString(DEFAULT_PAGE_SIZE)));
        } catch (NumberFormatException e) {
            reply(exchange, 400, Map.of("error", "page and per_page are whole numbers"));
            return;
        }
        if (page < 1 || perPage < 1 || perPage > 100) {
            reply(exchange, 400, Map.of("error", "page starts at 1; per_page is 1 to 100"));
            return;
        }
        withEmail(exchange, query, email -> {
            List<Conversation> all = conversationsOf(email);
            int from = Math.min(all.size(), (page - 1) * perPage);
            return Map.of("items", all.subList(from, Math.min(all.size(), from + perPage)), "page", page, "per_page", perPage);
        });
    }

    private void anonymize(HttpExchange exchange) throws IOException {
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = json.readTree(in);
        } catch (IOException e) {
            reply(exchange, 400, Map.of("error", "expected a JSON body {\"email\": ...}"));
            return;
        }
        String email = body == null ? null : body.path("email").asText(null);
        withEmail(exchange, email == null ? Map.of() : Map.of("email", email), e -> Map.of("anonymized", anonymizeConversations(e)));
    }

    private interface Answer {
        Map<String, ?> of(String email);
    }

    private void withEmail(HttpExchange exchange, Map<String, String> query, Answer answer) throws IOException {
        String email = query.get("email");
        if (email == null || email.isBlank()) {
            reply(exchange, 400, Map.of("error", "email is required"));
            return;
        }
        Map<String, ?> result;
        synchronized (this) {
            result = answer.of(email.trim().toLowerCase(Locale.ROOT));
        }
        reply(exchange, 200, result);
    }

    private List<Contact> contactsOf(String email) {
        return contacts.stream().filter(c -> email.equalsIgnoreCase(c.email())).toList();
    }

    private int deleteContacts(String email) {
        int before = contacts.size();
        contacts.removeIf(c -> email.equalsIgnoreCase(c.email()));
        return before - contacts.size();
    }

    private List<Conversation> conversationsOf(String email) {
        return conversations.stream().filter(c -> c.belongsTo(email)).toList();
    }

    private int anonymizeConversations(String email) {
        int changed = 0;
        for (int i = 0; i < conversations.size(); i++) {
            Conversation c = conversations.get(i);
            if (c.belongsTo(email)) {
                List<Message> kept = c.messages().stream()
                        .map(m -> m.from().equals("customer") ? new Message(m.from(), REMOVED, m.sentAt()) : m).toList();
                conversations.set(i, new Conversation(c.id(), null, c.subject(), c.status(), c.createdAt(), kept));
                changed++;
            }
        }
        return changed;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private void reply(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
