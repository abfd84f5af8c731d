package org.dsrflow.console;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.dsrflow.ApiRefusal;
import org.dsrflow.cases.CaseState;
import org.dsrflow.cases.CaseType;
import org.dsrflow.cases.Channel;
import org.dsrflow.cases.DsrCase;
import org.dsrflow.deadline.Extensions;
import org.dsrflow.fulfilment.FulfilmentService;
import org.dsrflow.health.Dependencies;
import org.dsrflow.verification.VerificationService;
import org.dsrflow.web.OperatorAccess;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The console's JSON API under {@code /api/console}. Reading is for every role; actions are for
 * agents and admins, the regulator report for managers and admins (the security configuration
 * enforces it). Every action needs a reason, and the audit log records it with the person.
 */
@RestController
class ConsoleController {
    private static final String REF = "[0-9A-HJKMNP-TV-Z]{26}";

    private final ConsoleQueries queries;
    private final ConsoleActions actions;
    private final RegulatorReport report;
    private final OperatorAccess operators;
    private final Extensions extensions;
    private final VerificationService verification;
    private final FulfilmentService fulfilment;
    private final Dependencies dependencies;

    ConsoleController(ConsoleQueries queries, ConsoleActions actions, RegulatorReport report, OperatorAccess operators,
                      Extensions extensions, VerificationService verification, FulfilmentService fulfilment,
                      Dependencies dependencies) {
        this.queries = queries;
        this.actions = actions;
        this.report = report;
        this.operators = operators;
        this.extensions = extensions;
        this.verification = verification;
        this.fulfilment = fulfilment;
        this.dependencies = dependencies;
    }

    @GetMapping("/api/console/me")
    Map<String, Object> me() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", operators.actor().substring("operator:".length()));
        out.put("roles", operators.roles());
        out.put("zone", queries.zone().getId());
        return out;
    }

    /**
     * The servers and systems dsrflow depends on, as last checked. Read from memory, not from the
     * case store, so the console can show an outage of the case store itself.
     */
    @GetMapping("/api/console/dependencies")
    List<Map<String, Object>> dependencies() {
        Instant now = Instant.now();
        return dependencies.all().stream().map(s -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", s.name());
            out.put("kind", s.kind().name().toLowerCase(Locale.ROOT));
            out.put("status", s.up() == null ? "UNKNOWN" : s.up() ? "UP" : "DOWN");
            out.put("since", s.since());
            out.put("downSeconds", s.downFor(now).toSeconds());
            out.put("problem", s.problem());
            out.put("outages", s.outages());
            return out;
        }).toList();
    }

    @GetMapping("/api/console/overview")
    Map<String, Object> overview() {
        return queries.overview(Instant.now());
    }

    @GetMapping("/api/console/cases")
    Map<String, Object> cases(@RequestParam(required = false) String state, @RequestParam(required = false) String channel,
                              @RequestParam(required = false) String type, @RequestParam(required = false) String system,
                              @RequestParam(required = false) String due, @RequestParam(required = false) String reference,
                              @RequestParam(defaultValue = "open") String scope,
                              @RequestParam(defaultValue = "50") int limit, @RequestParam(defaultValue = "0") int offset) {
        if (limit < 1 || limit > 500 || offset < 0) {
            throw new ApiRefusal(400, "validation_failed", "limit: 1 to 500; offset: 0 or more.");
        }
        if (system != null && !system.isBlank() && !system.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
            throw new ApiRefusal(400, "validation_failed", "system: a system's name (lower-case letters, digits, - and _).");
        }
        if (reference != null && !reference.isBlank() && !reference.trim().toUpperCase(Locale.ROOT).matches("[0-9A-HJKMNP-TV-Z]{1,26}")) {
            throw new ApiRefusal(400, "validation_failed", "reference: the start of a request's reference (letters and digits).");
        }
        return queries.cases(new ConsoleQueries.CaseFilter(parse(CaseState.class, "state", state), parse(Channel.class, "channel", channel),
                parse(CaseType.class, "type", type), blank(system), blank(due),
                blank(reference) == null ? null : reference.trim().toUpperCase(Locale.ROOT), !"all".equals(scope), limit, offset),
                Instant.now());
    }

    @GetMapping("/api/console/cases/{reference}")
    Map<String, Object> detail(@PathVariable String reference) {
        return queries.caseDetail(ref(reference), Instant.now());
    }

    @PostMapping(path = "/api/console/cases/{reference}/actions/attest", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> attest(@PathVariable String reference, @RequestBody JsonNode body) {
        String actor = "agent:" + operators.actor().substring("operator:".length());
        DsrCase c = verification.attestByAgent(ref(reference), actor, text(body, "method"), reason(body, "note"));
        return outcome(c);
    }

    @PostMapping(path = "/api/console/cases/{reference}/actions/extend", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> extend(@PathVariable String reference, @RequestBody JsonNode body) {
        org.dsrflow.web.ExtensionBody asked = org.dsrflow.web.ExtensionBody.read(body);
        return outcome(extensions.extend(ref(reference), asked.amount(), asked.unit(), reason(body, "reason"), operators.actor()));
    }

    @PostMapping(path = "/api/console/cases/{reference}/actions/retry", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> retry(@PathVariable String reference, @RequestBody JsonNode body) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reference", reference);
        out.put("retrying", fulfilment.retry(ref(reference), blank(text(body, "system")), operators.actor(), reason(body, "reason")));
        return out;
    }

    @PostMapping(path = "/api/console/cases/{reference}/actions/reject", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> reject(@PathVariable String reference, @RequestBody JsonNode body) {
        return outcome(actions.reject(ref(reference), reason(body, "reason"), operators.actor()));
    }

    @PostMapping(path = "/api/console/cases/{reference}/actions/resend-mail", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> resend(@PathVariable String reference, @RequestBody JsonNode body) {
        JsonNode mail = body.get("mail");
        if (mail == null || !mail.canConvertToLong()) {
            throw new ApiRefusal(400, "validation_failed", "mail: the number of the mail to send again.");
        }
        long queued = actions.resendMail(ref(reference), mail.asLong(), reason(body, "reason"), operators.actor());
        return Map.of("reference", reference, "queued", queued);
    }

    @PostMapping(path = "/api/console/cases/{reference}/actions/close-task", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> closeTask(@PathVariable String reference, @RequestBody JsonNode body) {
        String system = text(body, "system");
        if (system == null || system.isBlank()) {
            throw new ApiRefusal(400, "validation_failed", "system: which manual system's task to close.");
        }
        Map<String, Long> rows = null;
        JsonNode given = body.get("rows");
        if (given != null && given.isObject()) {
            rows = new LinkedHashMap<>();
            for (var it = given.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().canConvertToLong()) {
                    throw new ApiRefusal(400, "bad_number", "rows." + e.getKey() + " must be a whole number from 0.");
                }
                rows.put(e.getKey(), e.getValue().asLong());
            }
        }
        String outcome = actions.closeManualTask(ref(reference), system, rows, reason(body, "reason"), operators.actor());
        return Map.of("reference", reference, "system", system, "reported", outcome);
    }

    @GetMapping("/api/console/report.csv")
    ResponseEntity<String> regulatorReport(@RequestParam String from, @RequestParam String to) {
        LocalDate start;
        LocalDate end;
        try {
            start = LocalDate.parse(from);
            end = LocalDate.parse(to);
        } catch (DateTimeParseException e) {
            throw new ApiRefusal(400, "validation_failed", "from and to: dates as 2026-01-31.");
        }
        if (end.isBefore(start) || start.plusYears(5).isBefore(end)) {
            throw new ApiRefusal(400, "validation_failed", "The period must run forwards and span at most five years.");
        }
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"dsrflow-requests-" + start + "-to-" + end + ".csv\"")
                .body(report.csv(start, end));
    }

    private static Map<String, Object> outcome(DsrCase c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reference", c.id());
        out.put("state", c.state().name());
        out.put("policy", c.policy());
        out.put("dueAt", c.dueAt());
        return out;
    }

    private static String ref(String reference) {
        if (reference == null || !reference.matches(REF)) {
            throw new ApiRefusal(404, "not_found", "No request with this reference.");
        }
        return reference;
    }

    /** The why of an action: required, one to 1,000 characters, no control characters but line breaks. */
    private static String reason(JsonNode body, String field) {
        String r = text(body, field);
        if (r == null || r.isBlank() || r.length() > 1000 || r.chars().anyMatch(ch -> ch < 0x20 && ch != '\n' && ch != '\r')) {
            throw new ApiRefusal(400, "validation_failed", field + ": say why (1 to 1,000 characters); it is kept in the audit log.");
        }
        return r.strip();
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body == null ? null : body.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiRefusal(400, "validation_failed", field + ": not one of " + java.util.Arrays.toString(type.getEnumConstants()) + ".");
        }
    }
}
