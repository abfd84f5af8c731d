package org.dsrflow.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.ProducerTemplate;
import org.dsrflow.Printable;
import org.dsrflow.cases.CaseNotFoundException;
import org.dsrflow.cases.CaseStore;
import org.dsrflow.cases.DsrCase;
import org.dsrflow.cases.CaseType;
import org.dsrflow.intake.IntakeResult;
import org.dsrflow.intake.InvalidRequestException;
import org.dsrflow.intake.WebRequestParser;
import org.dsrflow.verification.ConsoleTokens;
import org.dsrflow.verification.VerificationAttempt;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
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
    private final RateLimits rateLimits;
    private final ConsoleTokens consoleTokens;

    RequestController(ProducerTemplate camel, CaseStore cases, ObjectMapper json, RateLimits rateLimits, ConsoleTokens consoleTokens) {
        this.rateLimits = rateLimits;
        this.consoleTokens = consoleTokens;
        this.camel = camel;
        this.cases = cases;
        this.json = json;
    }

    @PostMapping(path = "/api/requests", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> submit(@RequestBody byte[] body, HttpServletRequest http,
                                               @RequestHeader(name = "Authorization", required = false) String authorization) {
        if (body.length > WebRequestParser.MAX_BODY_BYTES) {
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(Map.of("error", "too_large",
                    "message", "The request is larger than " + WebRequestParser.MAX_BODY_BYTES / 1024 + " KiB."));
        }
        rateLimits.hit("form", http.getRemoteAddr(), null);
        // a user signed in to the console may send its token: checked before anything is read or stored
        ConsoleTokens.ConsoleUser user = authorization != null && authorization.startsWith("Bearer ")
                ? consoleTokens.verify(authorization.substring(7).trim()) : null;
        IntakeResult result = camel.requestBodyAndHeader("direct:dsr-intake-web", new String(body, StandardCharsets.UTF_8), "dsrConsoleUser",
                user, IntakeResult.class);
        DsrCase c = result.current();
        boolean zh = "zh".equals(c.language());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reference", c.id());
        out.put("state", c.state().name());
        if (result.isNew()) {
            out.put("message", zh ? "我们已向您的邮箱发送了一次性验证码。请输入验证码以确认您的请求。"
                    : "We sent a one-time code to your email address. Enter it to confirm your request.");
            return ResponseEntity.status(HttpStatus.CREATED).body(out);
        }
        // The open case's reference is shown only because its owner is told by mail as well; the
        // status page behind it shows states and dates, never the address.
        out.put("joined", true);
        out.put("message", zh ? "此邮箱已有一个相同的请求正在处理中，我们已将本次请求并入其中，并发邮件告知。"
                : "There is already an open request of this kind for this address; we added this one to it and sent a mail about it.");
        return ResponseEntity.ok(out);
    }

    /** The person's answer to "access or deletion?", from the link in the clarification mail. */
    @PostMapping(path = "/api/requests/{reference}/choice", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> choose(@PathVariable String reference, @RequestBody byte[] body) {
        JsonNode root = smallJson(body, "Send only {\"token\", \"type\"}.");
        String token = text(root, "token");
        String type = text(root, "type");
        if (token == null || type == null) {
            throw new InvalidRequestException("type", "Send the link's token and the type you chose (ACCESS or DELETION).");
        }
        CaseType chosen;
        try {
            chosen = CaseType.valueOf(type.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("type", "Choose ACCESS or DELETION.");
        }
        return view(camel.requestBody("direct:dsr-clarify", new Choice(reference, token, chosen), DsrCase.class));
    }

    /** A person's choice as it goes to the clarification route. */
    public record Choice(String reference, String token, CaseType type) {
    }

    @GetMapping("/api/requests/{reference}")
    Map<String, Object> status(@PathVariable String reference) {
        return view(cases.find(reference).orElseThrow(() -> new CaseNotFoundException(reference)));
    }

    @PostMapping(path = "/api/requests/{reference}/verification", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> verify(@PathVariable String reference, @RequestBody byte[] body, HttpServletRequest http) {
        rateLimits.hit("verify", http.getRemoteAddr(), reference);
        JsonNode root = smallJson(body, "Send only {\"code\"} or {\"token\"}, and any data points asked for.");
        String code = text(root, "code");
        String token = text(root, "token");
        if ((code == null) == (token == null)) {
            throw new InvalidRequestException("code", "Send the 6-digit code from the mail, or the link's token.");
        }
        Map<String, String> dataPoints = new LinkedHashMap<>();
        if (root != null) {
            root.fields().forEachRemaining(f -> {
                if (!f.getKey().equals("code") && !f.getKey().equals("token")) {
                    if (!f.getKey().matches("[a-z][a-z-]{0,31}") || !f.getValue().isTextual() || f.getValue().asText().length() > 100) {
                        throw new InvalidRequestException(Printable.clip(f.getKey(), 40), "Unexpected field.");
                    }
                    dataPoints.put(f.getKey(), f.getValue().asText());
                }
            });
        }
        DsrCase c = camel.requestBody("direct:dsr-verify", new VerificationAttempt(reference, code, token, dataPoints), DsrCase.class);
        return view(c);
    }

    /** "Send me a new code" (no body): limited per case; the answer never says where the code went. */
    @PostMapping("/api/requests/{reference}/verification/resend")
    Map<String, Object> resend(@PathVariable String reference, HttpServletRequest http) {
        rateLimits.hit("resend", http.getRemoteAddr(), reference);
        if (!reference.matches("[0-9A-HJKMNP-TV-Z]{26}")) {
            throw new CaseNotFoundException(reference);
        }
        DsrCase c = camel.requestBody("direct:dsr-verification-resend", reference, DsrCase.class);
        Map<String, Object> out = view(c);
        out.put("resent", true);
        return out;
    }

    /** A confirmation body: a few short fields, refused before parsing when it is anything bigger. */
    private JsonNode smallJson(byte[] body, String expected) {
        if (body.length > 1024) {
            throw new InvalidRequestException(null, expected);
        }
        try {
            return json.readTree(body);
        } catch (java.io.IOException e) {
            throw new InvalidRequestException(null, "The request body is not valid JSON.");
        }
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
        out.put("policy", c.policy());
        out.put("closedAt", c.closedAt());
        return out;
    }
}
