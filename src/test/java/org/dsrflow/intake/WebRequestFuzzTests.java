package org.dsrflow.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.dsrflow.cases.CaseType;
import org.dsrflow.cases.Channel;
import org.dsrflow.fuzz.Fuzz;
import org.dsrflow.fuzz.Hostile;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.generators.Generate;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/** The web form's body ({@code POST /api/requests}) as {@link WebRequestParser} reads it: a request, or a refusal naming the field. */
class WebRequestFuzzTests {
    private final WebRequestParser parser = new WebRequestParser(Jackson2ObjectMapperBuilder.json().build());

    @Test
    void anyBodyIsARequestOrARefusalNamingTheField() {
        Fuzz.check(Generate.frequency(List.of(
                Pair.of(6, Hostile.jsonNear(validBodies())),
                Pair.of(2, Hostile.text()),
                Pair.of(1, Hostile.bytes().map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8))))), body ->
                Fuzz.expect(() -> parser.parse(body), request -> {
                    assertThat(request.type()).isIn(CaseType.ACCESS, CaseType.DELETION, CaseType.UNDECIDED);
                    assertThat(request.channel()).isEqualTo(Channel.WEB);
                    assertThat(RequestValidation.email("email", request.subjectEmail())).isEqualTo(request.subjectEmail());
                    assertThat(request.requesterEmail()).isEqualTo(request.subjectEmail());
                    assertThat(request.language()).isIn(RequestValidation.LANGUAGES);
                }, refusal -> Fuzz.echoable(((InvalidRequestException) refusal).field()), InvalidRequestException.class));
    }

    static List<JsonNode> validBodies() {
        List<JsonNode> bodies = new ArrayList<>();
        for (String type : List.of("ACCESS", "DELETION", "access", " deletion ")) {
            for (String language : List.of("en", "zh", "ZH")) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("type", type);
                body.put("email", type.startsWith("A") ? "ann.lee+privacy@example.com" : "Wang.Fang@example.cn");
                body.put("language", language);
                bodies.add(Hostile.object(body));
            }
        }
        bodies.add(Hostile.json("{\"type\":\"ACCESS\",\"email\":\"ann@example.com\"}"));
        return bodies;
    }
}
