package org.dsrflow.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Http;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The public endpoints are limited per data subject and per client IP, with a clear 429. */
class RateLimitTests extends EmbeddedStackTest {
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void askingTooOftenAboutOnePersonIsRefusedWithWhenToTryAgain() throws Exception {
        Http http = new Http(port);
        String body = "{\"type\":\"ACCESS\",\"email\":\"Many.Times@example.org\",\"language\":\"en\"}";
        for (int i = 1; i <= 5; i++) {
            assertThat(http.postJson("/api/requests", body).status()).as("request %d", i).isIn(200, 201);
        }
        // the same person however the address is written
        Http.Reply refused = http.postJson("/api/requests", body.replace("Many.Times", "many.times"));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().path("error").asText()).isEqualTo("rate_limited");
        assertThat(refused.json().path("message").asText()).contains("try again in");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 3600L);
        assertThat(jdbc.queryForObject("select count(*) from dsr_case where subject_email = 'many.times@example.org'", Integer.class))
                .as("the refused request made no case").isEqualTo(1);
        assertThat(jdbc.queryForList("select bucket from rate_counter", String.class)).noneMatch(b -> b.contains("many.times"));
    }

    @Test
    void oneNetworkAskingForCodesTooOftenIsRefused() throws Exception {
        Http http = new Http(port);
        int refused = 0;
        for (int i = 0; i < 14; i++) {
            // unknown references: each is answered 404, and still counted for the address it came from
            Http.Reply r = http.post("/api/requests/01M8000000000000000000000" + (char) ('A' + i) + "/verification/resend",
                    new byte[0], "X-Forwarded-For", "203.0.113.77");
            if (r.status() == 429) {
                refused++;
                assertThat(r.json().path("message").asText()).contains("from your network");
            } else {
                assertThat(r.status()).isEqualTo(404);
            }
        }
        assertThat(refused).as("12 allowed per hour from one address, then refused").isEqualTo(2);
        Http.Reply other = http.post("/api/requests/01M80000000000000000000000/verification/resend", "".getBytes(StandardCharsets.UTF_8),
                "X-Forwarded-For", "198.51.100.4");
        assertThat(other.status()).as("another network is not affected").isEqualTo(404);
    }
}
