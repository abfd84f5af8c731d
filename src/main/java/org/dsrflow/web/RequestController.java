package org.dsrflow.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.ProducerTemplate;
import org.dsrflow.cases.CaseNotFoundException;
import org.dsrflow.cases.CaseStore;
import org.dsrflow.cases.DsrCase;
import org.dsrflow.intake.InvalidRequestException;
import org.dsrflow.intake.WebRequestParser;
import org.dsrflow.verification.VerificationAttempt;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The web form's JSON API. Thin on purpose: the body goes to the intake route as it came, and the
 * route parses, validates, stores and answers; this class only speaks HTTP.
 */
@RestController
class RequestController {
    private final ProducerTemplate camel;
    private final CaseStore cases;
    private final ObjectMapper json;

    RequestController(ProducerTemplate camel, CaseStore cases, ObjectMapper json) {
        this.camel = camel;
        this.cases = cases;
        this.json = json;
    }

    @PostMapping(path = "/api/requests", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> submit(@RequestBody byte[] body) {
        if (body.length > WebRequestParser.MAX_BODY_BYTES) {
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(Map.of("error", "too_large",
                    "message", "The request is larger than " + WebRequestParser.MAX_BODY_BYTES / 1024 + " KiB."));
        }
        DsrCase c = camel.requestBody("direct:dsr-intake-web", new String(body, StandardCharsets.UTF_8), DsrCase.class);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reference", c.id());
        out.put("state", c.state().name());
        out.put("message", "zh".equals(c.language())
                ? "我们已向您的邮箱发送了一次性验证码。请输入验证码以确认您的请求。"
                : "We sent a one-time code to your email address. Enter it to confirm your request.");
        return ResponseEntity.status(HttpStatus.CREATED).body(out);
    }

    @GetMapping("/api/requests/{reference}")
    Map<String, Object> status(@PathVariable String reference) {
        return view(cases.find(reference).orElseThrow(() -> new CaseNotFoundException(reference)));
    }

    @PostMapping(path = "/api/requests/{reference}/verification", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> verify(@PathVariable String reference, @RequestBody byte[] body) {
        if (body.length > 1024) {
            throw new InvalidRequestException(null, "Send only {\"code\"} or {\"token\"}.");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (java.io.IOException e) {
            throw new InvalidRequestException(null, "The request body is not valid JSON.");
        }
        String code = text(root, "code");
        String token = text(root, "token");
        if ((code == null) == (token == null)) {
            throw new InvalidRequestException("code", "Send the 6-digit code from the mail, or the link's token.");
        }
        DsrCase c = camel.requestBody("direct:dsr-verify", new VerificationAttempt(reference, code, token), DsrCase.class);
        return view(c);
    }

    private static String text(JsonNode root, String field) {
        JsonNode v = root == null ? null : root.get(field);
        return v == null || !v.isTextual() ? null : v.asText().trim();
    }

    /** What anyone holding the reference may see: states and dates, never the address. */
    private static Map<String, Object> view(DsrCase c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reference", c.id());
        out.put("type", c.type().name());
        out.put("state", c.state().name());
        out.put("language", c.language());
        out.put("receivedAt", c.receivedAt());
        out.put("verifiedAt", c.verifiedAt());
        out.put("dueAt", c.dueAt());
        out.put("closedAt", c.closedAt());
        return out;
    }
}
