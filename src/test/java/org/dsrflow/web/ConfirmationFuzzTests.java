package org.dsrflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.dsrflow.cases.CaseState;
import org.dsrflow.cases.CaseType;
import org.dsrflow.cases.Channel;
import org.dsrflow.cases.DsrCase;
import org.dsrflow.fuzz.Fuzz;
import org.dsrflow.fuzz.Hostile;
import org.dsrflow.intake.InvalidRequestException;
import org.dsrflow.verification.VerificationAttempt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * The bodies a person sends to confirm a request: the code or link token with any data points
 * ({@code POST /api/requests/{ref}/verification}) and the choice between access and deletion
 * ({@code POST /api/requests/{ref}/choice}). {@link RequestController} reads them and hands a
 * {@link VerificationAttempt} or a {@link RequestController.Choice} to its route; here the routes
 * check what they were handed and answer with a case, since checking the code itself needs the case
 * store. The rate limits are off (they are counted in the case store too).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfirmationFuzzTests {
    private static final String REFERENCE = "01JABCDEFGHJKMNPQRSTVWXYZ0";
    private CamelContext camel;
    private RequestController controller;

    @BeforeAll
    void routes() throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:dsr-verify").process(exchange -> {
                    VerificationAttempt attempt = exchange.getIn().getBody(VerificationAttempt.class);
                    assertThat(attempt.code() == null).as("a code or a token, not both").isNotEqualTo(attempt.token() == null);
                    attempt.dataPoints().forEach((name, value) -> {
                        assertThat(name).matches("[a-z][a-z-]{0,31}");
                        assertThat(value).hasSizeLessThanOrEqualTo(100);
                    });
                    exchange.getMessage().setBody(waiting(attempt.reference()));
                });
                from("direct:dsr-clarify").process(exchange -> {
                    RequestController.Choice choice = exchange.getIn().getBody(RequestController.Choice.class);
                    assertThat(choice.token()).isNotNull().isEqualTo(choice.token().trim());
                    assertThat(choice.type()).isNotNull();
                    exchange.getMessage().setBody(waiting(choice.reference()));
                });
            }
        });
        camel.start();
        ProducerTemplate template = camel.createProducerTemplate();
        ObjectMapper json = Jackson2ObjectMapperBuilder.json().build();
        // the case store and console tokens serve other endpoints than these two
        controller = new RequestController(template, null, json, new RateLimits(null, new RateLimitSettings(Map.of()), null, null), null);
    }

    @AfterAll
    void stop() {
        camel.stop();
    }

    @Test
    void anyVerificationBodyIsAnAttemptOrARefusalNamingTheField() {
        Fuzz.check(bodies(List.of(Hostile.json("{\"code\":\"482913\"}"), Hostile.json("{\"token\":\"" + "Ab3_-x".repeat(7) + "\"}"),
                Hostile.json("{\"code\":\"000000\",\"phone\":\"+86 138 0013 8000\"}"))), body -> Fuzz.expect(
                        () -> controller.verify(REFERENCE, body, new MockHttpServletRequest()), ConfirmationFuzzTests::wellFormed,
                        ConfirmationFuzzTests::namesItsField, InvalidRequestException.class));
    }

    @Test
    void anyChoiceBodyIsAChoiceOrARefusalNamingTheField() {
        Fuzz.check(bodies(List.of(Hostile.json("{\"token\":\"" + "Zq9-_".repeat(8) + "\",\"type\":\"DELETION\"}"),
                Hostile.json("{\"token\":\"abc\",\"type\":\"access\"}"))), body -> Fuzz.expect(
                        () -> controller.choose(REFERENCE, body), ConfirmationFuzzTests::wellFormed,
                        ConfirmationFuzzTests::namesItsField, InvalidRequestException.class));
    }

    private static Gen<byte[]> bodies(List<JsonNode> valid) {
        return Generate.frequency(List.of(
                Pair.of(8, Hostile.jsonNear(valid).map(text -> text.getBytes(StandardCharsets.UTF_8))),
                Pair.of(1, Hostile.text().map(text -> text.getBytes(StandardCharsets.UTF_8))),
                Pair.of(1, Hostile.bytes())));
    }

    private static void wellFormed(Map<String, Object> view) {
        assertThat(view).containsEntry("reference", REFERENCE).containsKey("state").doesNotContainKey("subjectEmail");
    }

    private static void namesItsField(Throwable refusal) {
        Fuzz.echoable(((InvalidRequestException) refusal).field());
    }

    private static DsrCase waiting(String reference) {
        Instant now = Instant.now();
        return new DsrCase(reference, CaseType.ACCESS, Channel.WEB, CaseState.AWAITING_VERIFICATION, "ann@example.com", "ann@example.com",
                "en", now, null, null, null, null, null, null, null, null, null, null, null);
    }
}
