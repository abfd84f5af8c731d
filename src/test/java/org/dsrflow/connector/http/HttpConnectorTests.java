package org.dsrflow.connector.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dsrflow.connector.Connector;
import org.dsrflow.connector.ConnectorCheck;
import org.dsrflow.connector.ConnectorConfigException;
import org.dsrflow.connector.ConnectorContract.Collected;
import org.dsrflow.connector.ConnectorException;
import org.dsrflow.connector.ConnectorRegistry;
import org.dsrflow.connector.ErasureReport;
import org.dsrflow.connector.ExportSummary;
import org.dsrflow.connector.Subject;
import org.dsrflow.demo.HelpdeskApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The http connector against real HTTP servers: the demo helpdesk, and a scripted stub for what a helpdesk rarely does on cue. */
class HttpConnectorTests {
    private static final Subject ANN = new Subject("ann@example.com");
    private static final String ONE_TICKET = "{\"items\": [{\"id\": 1, \"subject\": \"refund\"}]}";

    private StubApi stub;

    @BeforeEach
    void start() throws Exception {
        stub = StubApi.start();
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void pagesAreFollowedUntilAnEmptyOne() throws Exception {
        try (HelpdeskApi api = HelpdeskApi.start(0, "t")) {
            Connector helpdesk = HttpFixtures.example(api.baseUrl(), "t", file -> file.replace("per_page=50", "per_page=1"));
            Collected rows = new Collected();
            ExportSummary summary = helpdesk.export(new Subject("alice.chen@example.com"), rows);
            assertThat(summary.recordsPerTable()).containsExactly(Map.entry("conversations", 3L), Map.entry("contacts", 1L));
            assertThat(rows.records).extracting(r -> r.get("id")).containsExactly(9001, 9002, 9003, 501);
            assertThat(rows.records.get(0).get("messages")).as("nested values arrive as lists and maps").isInstanceOf(List.class);
        }
    }

    @Test
    void recordsReachTheSinkPageByPageNotAfterTheLastPage() throws Exception {
        stub.then(200, "{\"items\": [{\"id\": 1}]}").then(200, "{\"items\": [{\"id\": 2}]}").then(200, "{\"items\": [{\"id\": 3}]}")
                .then(200, "{\"items\": []}");
        Connector tickets = HttpFixtures.tickets(stub.baseUrl(), file -> file
                .replace("path: /tickets?email={email}", "path: /tickets?email={email}&page={page}")
                .replace("records: /items", "records: /items\n      pagination: { type: page, first: 0 }"));
        List<Integer> requestsSoFar = new ArrayList<>();
        long found = tickets.export(ANN, new Collected() {
            @Override
            public void record(Map<String, Object> columns) {
                super.record(columns);
                requestsSoFar.add(stub.received().size());
            }
        }).total();
        assertThat(found).isEqualTo(3);
        assertThat(requestsSoFar).as("each record handed on before the next page is asked for").containsExactly(1, 2, 3);
        assertThat(stub.received()).extracting(StubApi.Received::rawQuery)
                .containsExactly("email=ann%40example.com&page=0", "email=ann%40example.com&page=1", "email=ann%40example.com&page=2",
                        "email=ann%40example.com&page=3");
    }

    @Test
    void aCursorIsFollowedAndLeftOutOfTheFirstRequest() throws Exception {
        stub.then(200, "{\"items\": [{\"id\": 1}, {\"id\": 2}], \"meta\": {\"next\": \"c/2+\"}}")
                .then(200, "{\"items\": [{\"id\": 3}], \"meta\": {\"next\": null}}");
        Connector tickets = HttpFixtures.tickets(stub.baseUrl(), file -> file
                .replace("path: /tickets?email={email}", "path: /tickets?email={email}&after={cursor}&limit=2")
                .replace("records: /items", "records: /items\n      pagination: { type: cursor, next: /meta/next }"));
        assertThat(tickets.export(ANN, new Collected()).total()).isEqualTo(3);
        assertThat(stub.received()).extracting(StubApi.Received::rawQuery)
                .containsExactly("email=ann%40example.com&limit=2", "email=ann%40example.com&after=c%2F2%2B&limit=2");
    }

    @Test
    void paginationThatNeverEndsStopsAtMaxPages() throws Exception {
        stub.otherwise(200, ONE_TICKET);
        Connector tickets = HttpFixtures.tickets(stub.baseUrl(), file -> file
                .replace("path: /tickets?email={email}", "path: /tickets?email={email}&page={page}")
                .replace("records: /items", "records: /items\n      pagination: { type: page }\n      max-pages: 3"));
        assertThatThrownBy(() -> tickets.export(ANN, new Collected()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.retriable()).isFalse())
                .hasMessageContaining("max-pages");
        assertThat(stub.received()).hasSize(3);
    }

    @Test
    void eachKindOfCredentialsIsSentAsItsHeader() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString("ann:pa ss:word".getBytes(StandardCharsets.UTF_8));
        assertThat(sentBy("{ type: bearer, token-env: TICKETS_TOKEN }").header("Authorization")).isEqualTo("Bearer " + HttpFixtures.TOKEN);
        assertThat(sentBy("{ type: basic, username-env: API_USER, password-env: API_PASSWORD }").header("Authorization")).isEqualTo(basic);
        StubApi.Received apiKey = sentBy("{ type: api-key, header: X-Api-Key, key-env: API_KEY }");
        assertThat(apiKey.header("X-Api-Key")).isEqualTo("k3y-123");
        assertThat(apiKey.header("Authorization")).isNull();
        assertThat(sentBy("{ type: none }").headers()).doesNotContainKeys("Authorization", "X-api-key");
    }

    /** What the stub received for one export made with the given auth. */
    private StubApi.Received sentBy(String auth) throws Exception {
        HttpFixtures.tickets(stub.baseUrl(), file -> file.replace("{ type: bearer, token-env: TICKETS_TOKEN }", auth)).export(ANN, new Collected());
        return stub.last();
    }

    @Test
    void a429IsWaitedOutAsRetryAfterAsksThenTheCallSucceeds() throws Exception {
        stub.then(429, "{\"error\": \"slow down\"}", "Retry-After", "1").then(200, ONE_TICKET);
        Connector tickets = HttpFixtures.tickets(stub.baseUrl());
        assertThat(tickets.export(ANN, new Collected()).total()).isEqualTo(1);
        assertThat(stub.received()).hasSize(2);
        Duration waited = Duration.ofNanos(stub.received().get(1).atNanos() - stub.received().get(0).atNanos());
        assertThat(waited).as("Retry-After: 1, not the 50 ms backoff").isBetween(Duration.ofMillis(950), Duration.ofMillis(1900));
    }

    @Test
    void aRetryAfterLongerThanMaxWaitIsNotWaitedForButStaysRetriable() throws Exception {
        stub.then(503, "", "Retry-After", "3600");
        assertThatThrownBy(() -> HttpFixtures.tickets(stub.baseUrl()).erase(ANN))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.retriable()).isTrue())
                .hasMessageContaining("asked for 3600 s");
        assertThat(stub.received()).hasSize(1);
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        Clock clock = Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC);
        assertThat(ApiCalls.retryAfter(headers("7"), clock)).contains(Duration.ofSeconds(7));
        assertThat(ApiCalls.retryAfter(headers("Sun, 01 Jun 2025 12:00:05 GMT"), clock)).contains(Duration.ofSeconds(5));
        assertThat(ApiCalls.retryAfter(headers("Sun, 01 Jun 2025 11:00:00 GMT"), clock)).contains(Duration.ZERO);
        assertThat(ApiCalls.retryAfter(headers("soon"), clock)).isEmpty();
    }

    private static java.net.http.HttpHeaders headers(String retryAfter) {
        return java.net.http.HttpHeaders.of(Map.of("Retry-After", List.of(retryAfter)), (a, b) -> true);
    }

    @Test
    void a503ThatLastsUsesUpTheAttemptsWithGrowingWaitsAndIsRetriable() throws Exception {
        stub.otherwise(503, "{\"error\": \"maintenance\"}");
        assertThatThrownBy(() -> HttpFixtures.tickets(stub.baseUrl()).export(ANN, new Collected()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.retriable()).isTrue())
                .hasMessageContaining("failed 3 time(s), the last: HTTP 503");
        List<StubApi.Received> tries = stub.received();
        assertThat(tries).hasSize(3);
        assertThat(Duration.ofNanos(tries.get(2).atNanos() - tries.get(1).atNanos()))
                .as("the second wait (100 ms) is twice the first (50 ms)").isGreaterThanOrEqualTo(Duration.ofMillis(95));
    }

    @Test
    void aSystemThatDoesNotAnswerInTimeIsRetriableAndItsCheckSaysSo() throws Exception {
        stub.delay(Duration.ofMillis(600)).otherwise(200, ONE_TICKET);
        Connector tickets = HttpFixtures.tickets(stub.baseUrl(), file -> file.replace("timeout: PT2S", "timeout: PT0.2S"));
        assertThatThrownBy(() -> tickets.export(ANN, new Collected()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.retriable()).isTrue())
                .hasMessageEndingWith("failed 3 time(s), the last: no answer within 200 ms");
        ConnectorCheck check = tickets.check();
        assertThat(check.reachable()).isFalse();
        assertThat(check.problems()).singleElement().asString().endsWith("no answer within 200 ms");
    }

    @Test
    void refusedCredentialsArePermanentAndNotTriedAgain() throws Exception {
        stub.otherwise(401, "{\"error\": \"unauthorized\"}");
        Connector tickets = HttpFixtures.tickets(stub.baseUrl());
        assertThatThrownBy(() -> tickets.erase(ANN))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.retriable()).isFalse())
                .hasMessage("tickets: erase tickets: POST /customers/{email}/anonymize answered HTTP 401 "
                        + "(credentials refused; check the auth variables)");
        assertThat(stub.received()).hasSize(1);
        ConnectorCheck check = tickets.check();
        assertThat(check.reachable()).isTrue();
        assertThat(check.problems()).containsExactly("tickets: credentials refused (GET /health answered HTTP 401)");
    }

    @Test
    void aSystemThatIsDownFailsItsCheckWithoutThrowing() throws Exception {
        ConnectorCheck check = HttpFixtures.tickets("http://127.0.0.1:1").check();
        assertThat(check.reachable()).isFalse();
        assertThat(check.problems()).containsExactly("tickets: cannot reach http://127.0.0.1:1: cannot connect");
    }

    @Test
    void aLookupAnswered404FindsNothingButAnEraseAnswered404IsPermanent() throws Exception {
        stub.otherwise(404, "{\"error\": \"no such customer\"}");
        Connector tickets = HttpFixtures.tickets(stub.baseUrl());
        assertThat(tickets.export(ANN, new Collected()).total()).isZero();
        assertThat(tickets.verifyErased(ANN).erased()).isTrue();
        assertThatThrownBy(() -> tickets.erase(ANN))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.retriable()).isFalse())
                .hasMessageContaining("HTTP 404");
    }

    @Test
    void eraseReportsTheCountTheApiAnswersWith() throws Exception {
        stub.then(200, "{\"anonymized\": 4}").then(200, "{\"anonymized\": 0}");
        Connector tickets = HttpFixtures.tickets(stub.baseUrl(), file -> file.replace("on-erase: anonymize",
                "on-erase: retain\n    retention: { reason: \"tax law\", legal-basis: \"Tax Act s.1\", period: P10Y }"));
        ErasureReport first = tickets.erase(ANN);
        assertThat(first.tables()).singleElement().satisfies(t -> {
            assertThat(t.outcome()).isEqualTo(ErasureReport.Outcome.RETAINED);
            assertThat(t.rows()).isEqualTo(4);
            assertThat(t.retention().legalBasis()).isEqualTo("Tax Act s.1");
        });
        assertThat(tickets.erase(ANN).totalRows()).as("the second time, what the API says").isZero();
    }

    @Test
    void addressesWithSpecialCharactersStayOneValueInUrlsAndBodies() throws Exception {
        Subject odd = new Subject("o'neil+tag&admin=1#x/../?\"q\"\\ %41@example.com");
        String encoded = "o%27neil%2Btag%26admin%3D1%23x%2F..%2F%3F%22q%22%5C%20%2541%40example.com";
        stub.then(200, ONE_TICKET).then(200, "{\"anonymized\": 1}");
        Connector tickets = HttpFixtures.tickets(stub.baseUrl());
        tickets.export(odd, new Collected());
        tickets.erase(odd);
        assertThat(stub.received().get(0).rawQuery()).isEqualTo("email=" + encoded);
        StubApi.Received erase = stub.received().get(1);
        assertThat(erase.rawPath()).isEqualTo("/customers/" + encoded + "/anonymize");
        assertThat(erase.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = new ObjectMapper().readTree(erase.body());
        assertThat(body.size()).as("the address added no field").isEqualTo(2);
        assertThat(body.path("email").asText()).isEqualTo(odd.email());
        assertThat(body.path("reason").asText()).isEqualTo("privacy request");
    }

    @Test
    void noFailureMessageCarriesTheSubjectsAddressOrWhatTheSystemAnswered() throws Exception {
        String echo = "{\"error\": \"unknown customer " + ANN.email() + "\"}";
        List<String> messages = new ArrayList<>();
        for (int status : new int[] {400, 403, 404, 422, 500}) {
            stub.otherwise(status, echo);
            messages.add(failure(() -> HttpFixtures.tickets(stub.baseUrl()).erase(ANN)));
        }
        stub.otherwise(200, "not json, about " + ANN.email());
        messages.add(failure(() -> HttpFixtures.tickets(stub.baseUrl()).export(ANN, new Collected())));
        stub.otherwise(200, echo);
        messages.add(failure(() -> HttpFixtures.tickets(stub.baseUrl()).export(ANN, new Collected())));
        messages.add(failure(() -> HttpFixtures.tickets(stub.baseUrl()).erase(ANN)));
        stub.otherwise(429, echo, "Retry-After", "999");
        messages.add(failure(() -> HttpFixtures.tickets(stub.baseUrl()).verifyErased(ANN)));
        messages.add(failure(() -> HttpFixtures.tickets("http://127.0.0.1:1").erase(ANN)));

        assertThat(messages).hasSize(10).allSatisfy(m -> assertThat(m).startsWith("tickets: ")
                .doesNotContain(ANN.email()).doesNotContain("ann%40").doesNotContain("unknown customer").doesNotContain("not json"));
    }

    private static String failure(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        try {
            call.call();
        } catch (ConnectorException e) {
            return e.getMessage();
        } catch (Throwable e) {
            throw new AssertionError("expected a ConnectorException", e);
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void aFileWithMistakesIsRefusedNamingTheFileAndEachPath() throws Exception {
        String broken = HttpFixtures.TICKETS.replace("BASE", "ftp://helpdesk.example.com")
                .replace("token-env: TICKETS_TOKEN", "token-env: NOT_SET_ANYWHERE")
                .replace("timeout: PT2S", "timeout: 2 seconds\nretires: 3")
                .replace("on-erase: anonymize", "on-erase: retain")
                .replace("path: /tickets?email={email}", "path: /tickets?name={name}")
                .replace("records: /items", "records: items\n      pagination: { type: page }")
                .replace("method: POST", "method: GET")
                .replace("body: '{\"email\": {email}, \"reason\": \"privacy request\"}'", "body: '{\"email\": \"{email}\"}'")
                .replace("count: /anonymized", "count: anonymized");
        assertThat(problemsIn(broken)).containsExactlyInAnyOrder(
                        "connectors/tickets.yaml: retires: unknown key; expected one of [system, type, title, owner, base-url, auth, "
                                + "timeout, retry, check, datasets, expected-answer]",
                        "connectors/tickets.yaml: base-url: expected an http:// or https:// address with a host, got 'ftp://helpdesk.example.com'",
                        "connectors/tickets.yaml: timeout: expected a positive ISO-8601 duration such as PT10S or PT0.5S, got '2 seconds'",
                        "connectors/tickets.yaml: auth.token-env: the environment variable NOT_SET_ANYWHERE is not set",
                        "connectors/tickets.yaml: datasets[0].retention.reason: missing; expected a text, or a text per language such as {en: ..., zh: ...}",
                        "connectors/tickets.yaml: datasets[0].retention.legal-basis: missing",
                        "connectors/tickets.yaml: datasets[0].retention.period: missing",
                        "connectors/tickets.yaml: datasets[0].export.path: unknown placeholder [{name}]; expected only [{cursor}, {email}, {page}]",
                        "connectors/tickets.yaml: datasets[0].export.records: expected a JSON pointer starting with / "
                                + "(or \"\" when the response itself is the list), got 'items'",
                        "connectors/tickets.yaml: datasets[0].erase.method: expected one of [POST, PUT, PATCH, DELETE], got 'GET'",
                        "connectors/tickets.yaml: datasets[0].erase.body: expected JSON with each placeholder standing for a value, "
                                + "e.g. '{\"email\": {email}}' (no quotes around {email})",
                        "connectors/tickets.yaml: datasets[0].erase.count: expected a JSON pointer starting with /, got 'anonymized'");
    }

    @Test
    void requestsThatAreNotAboutTheSubjectOrCannotPageAreRefused() throws Exception {
        String broken = HttpFixtures.TICKETS.replace("BASE", "https://helpdesk.example.com")
                .replace("path: /tickets?email={email}", "path: /tickets?page={page}&after={cursor}")
                .replace("path: /customers/{email}/anonymize", "path: /customers/{page}/anonymize")
                .replace("body: '{\"email\": {email}, \"reason\": \"privacy request\"}'", "body: '{\"all\": true}'")
                .replace("auth: { type: bearer, token-env: TICKETS_TOKEN }", "auth: { type: bearer, token-env: TICKETS_TOKEN, token: abc }");
        assertThat(problemsIn(broken)).containsExactlyInAnyOrder(
                        "connectors/tickets.yaml: auth.token: unknown key; expected one of [type, token-env]",
                        "connectors/tickets.yaml: datasets[0].export.path: expected {email} in the request, so that it is about the subject and no one else",
                        "connectors/tickets.yaml: datasets[0].export.path: {page} is only for pagination type page",
                        "connectors/tickets.yaml: datasets[0].export.path: {cursor} is only for pagination type cursor",
                        "connectors/tickets.yaml: datasets[0].erase.path: unknown placeholder [{page}]; expected only [{email}]");
    }

    /** What the factory refuses the file for; fails the test if it takes it. */
    private static List<String> problemsIn(String file) throws Exception {
        JsonNode definition = HttpFixtures.yaml(file);
        try {
            HttpFixtures.factory().create("connectors/tickets.yaml", definition);
        } catch (ConnectorConfigException e) {
            return e.problems();
        }
        throw new AssertionError("the file was taken");
    }

    @Test
    void theExampleFileLoadsAsTheApplicationLoadsItAndWorksAgainstTheDemoHelpdesk() throws Exception {
        String location = HttpFixtures.EXAMPLE.toUri().toString();
        try (HelpdeskApi api = HelpdeskApi.start(0, HelpdeskApi.DEMO_TOKEN)) {
            MockEnvironment env = HttpFixtures.exampleEnvironment(api.baseUrl(), HelpdeskApi.DEMO_TOKEN);
            ConnectorRegistry registry = ConnectorRegistry.load(location, env, Map.of("http", new HttpConnectorFactory(env)));
            Connector helpdesk = registry.find("helpdesk").orElseThrow();
            assertThat(helpdesk.describe().datasets()).extracting(d -> d.name() + ":" + d.onErase())
                    .containsExactly("conversations:anonymize", "contacts:delete");
            assertThat(helpdesk.check().problems()).isEmpty();
            assertThat(helpdesk.export(new Subject("li.wei@example.cn"), new Collected()).total()).isEqualTo(2);

            ConnectorCheck wrongToken = HttpFixtures.example(api.baseUrl(), "not-the-token", UnaryOperator.identity()).check();
            assertThat(wrongToken.problems()).singleElement().asString().contains("credentials refused");
        }
        MockEnvironment noToken = new MockEnvironment();
        assertThatThrownBy(() -> ConnectorRegistry.load(location, noToken, Map.of("http", new HttpConnectorFactory(noToken))))
                .isInstanceOfSatisfying(ConnectorConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "connectors/helpdesk.yaml: auth.token-env: the environment variable DSRFLOW_HELPDESK_TOKEN is not set"));
    }
}
