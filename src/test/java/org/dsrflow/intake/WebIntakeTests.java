package org.dsrflow.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Bad input over real HTTP: each gets a clear 4xx, and nothing is stored — no case, no mail, no event. */
class WebIntakeTests extends EmbeddedStackTest {
    static final List<String> HOSTILE = List.of(
            "' OR '1'='1", "x'); DROP TABLE dsr_case;--", "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1/x}",
            "{{7*7}}", "a@example.com\r\nBcc: victim@example.com", "../../etc/passwd", "\u0000", "ACCESS\nDELETION");

    @Autowired
    JdbcTemplate jdbc;
    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    static List<Object[]> badRequests() {
        List<Object[]> cases = new java.util.ArrayList<>();
        cases.add(new Object[] {"invalid email", body("ACCESS", "not-an-address", "en"), "email"});
        cases.add(new Object[] {"email with two @", body("ACCESS", "a@b@example.com", "en"), "email"});
        cases.add(new Object[] {"missing email", "{\"type\":\"ACCESS\",\"language\":\"en\"}", "email"});
        cases.add(new Object[] {"unknown type", body("CORRECTION", "ann@example.com", "en"), "type"});
        cases.add(new Object[] {"missing type", "{\"email\":\"ann@example.com\"}", "type"});
        cases.add(new Object[] {"unknown language", body("ACCESS", "ann@example.com", "fr"), "language"});
        cases.add(new Object[] {"oversized email", body("ACCESS", "a".repeat(250) + "@example.com", "en"), "email"});
        cases.add(new Object[] {"oversized language", body("ACCESS", "ann@example.com", "e".repeat(5000)), "language"});
        cases.add(new Object[] {"unknown field", "{\"type\":\"ACCESS\",\"email\":\"ann@example.com\",\"admin\":true}", "admin"});
        cases.add(new Object[] {"number as email", "{\"type\":\"ACCESS\",\"email\":42}", "email"});
        cases.add(new Object[] {"not json", "type=ACCESS&email=ann@example.com", null});
        cases.add(new Object[] {"json array", "[\"ACCESS\"]", null});
        cases.add(new Object[] {"empty body", " ", null});
        for (String hostile : HOSTILE) {
            cases.add(new Object[] {"hostile type " + hostile, body(hostile, "ann@example.com", "en"), "type"});
            cases.add(new Object[] {"hostile email " + hostile, body("ACCESS", hostile, "en"), "email"});
            cases.add(new Object[] {"hostile email suffix " + hostile, body("ACCESS", "ann@example.com" + hostile, "en"), "email"});
            cases.add(new Object[] {"hostile language " + hostile, body("ACCESS", "ann@example.com", hostile), "language"});
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badInputIsRefusedClearlyAndNothingIsStored(String name, String body, String field) throws Exception {
        long cases = count("dsr_case");
        long outbox = count("outbox");

        Http.Reply reply = http.postJson("/api/requests", body);

        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.json().path("error").asText()).isEqualTo("validation_failed");
        assertThat(reply.json().path("message").asText()).isNotBlank();
        if (field != null) {
            assertThat(reply.json().path("field").asText()).isEqualTo(field);
        }
        assertThat(count("dsr_case")).isEqualTo(cases);
        assertThat(count("outbox")).isEqualTo(outbox);
    }

    @Test
    void anOversizedBodyIs413AndStoresNothing() throws Exception {
        long cases = count("dsr_case");
        Http.Reply reply = http.postJson("/api/requests", "{\"type\":\"ACCESS\",\"email\":\"ann@example.com\",\"pad\":\""
                + "x".repeat(64 * 1024) + "\"}");
        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json().path("error").asText()).isEqualTo("too_large");
        assertThat(count("dsr_case")).isEqualTo(cases);
    }

    @Test
    void aFormPostInsteadOfJsonIs415() throws Exception {
        Http.Reply reply = http.post("/api/requests", "application/x-www-form-urlencoded", "type=ACCESS".getBytes());
        assertThat(reply.status()).isEqualTo(415);
        assertThat(reply.json().path("error").asText()).isEqualTo("unsupported_media_type");
    }

    @Test
    void anUnknownOrMalformedReferenceIs404() throws Exception {
        assertThat(http.get("/api/requests/01JZZZZZZZZZZZZZZZZZZZZZZZ").status()).isEqualTo(404);
        assertThat(http.get("/api/requests/%27%20OR%201%3D1").status()).isIn(400, 404);
        Http.Reply verify = http.postJson("/api/requests/01JZZZZZZZZZZZZZZZZZZZZZZZ/verification", "{\"code\":\"123456\"}");
        assertThat(verify.status()).isEqualTo(404);
        assertThat(verify.json().path("error").asText()).isEqualTo("not_found");
    }

    @Test
    void aValidRequestIsAcceptedAndTheStatusShowsNoAddress() throws Exception {
        Http.Reply reply = http.postJson("/api/requests", body("access", "  Status.Check@Example.com ", "ZH"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        String reference = reply.json().path("reference").asText();
        assertThat(reply.json().path("state").asText()).isEqualTo("AWAITING_VERIFICATION");

        Http.Reply status = http.get("/api/requests/" + reference);
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().path("type").asText()).isEqualTo("ACCESS");
        assertThat(status.json().path("language").asText()).isEqualTo("zh");
        assertThat(status.body()).doesNotContainIgnoringCase("status.check");
        assertThat(jdbc.queryForObject("select subject_email from dsr_case where id = ?", String.class, reference))
                .isEqualTo("status.check@example.com");
    }

    private long count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Long.class);
    }

    static String body(String type, String email, String language) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("email", email);
        m.put("language", language);
        try {
            return Http.json(m);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
