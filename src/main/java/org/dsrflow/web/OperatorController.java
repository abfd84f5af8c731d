package org.dsrflow.web;

import org.dsrflow.ApiRefusal;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.dsrflow.cases.DsrCase;
import org.dsrflow.deadline.Extensions;
import org.dsrflow.verification.VerificationService;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * What support staff do to a case: signed in to the console, or a script with the operator token
 * ({@code Authorization: Bearer}) and the person's id ({@code X-Dsrflow-Operator}); each action is
 * recorded in the audit log under that person (roles: docs/console.md):
 * <ul>
 * <li>extend a deadline: {@code POST /api/requests/{ref}/extension} with
 * {@code {"amount": 2, "unit": "MONTHS", "reason": "..."}} (unit optional); the requester is told by mail;</li>
 * <li>attest an identity checked another way: {@code POST /api/requests/{ref}/attestation} with
 * {@code {"method": "phone-call", "note": "..."}}; the case is verified and its clock starts.</li>
 * </ul>
 */
@RestController
class OperatorController {
    private final Extensions extensions;
    private final VerificationService verification;
    private final OperatorAccess operators;

    private final org.dsrflow.connector.ConnectorHealth health;
    private final org.dsrflow.fulfilment.FulfilmentService fulfilment;

    OperatorController(Extensions extensions, VerificationService verification, OperatorAccess operators,
                       org.dsrflow.connector.ConnectorHealth health, org.dsrflow.fulfilment.FulfilmentService fulfilment) {
        this.health = health;
        this.fulfilment = fulfilment;
        this.extensions = extensions;
        this.verification = verification;
        this.operators = operators;
    }

    @PostMapping(path = "/api/requests/{reference}/attestation", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> attest(@PathVariable String reference, @RequestBody JsonNode body) {
        String actor = "agent:" + operators.actor().substring("operator:".length());
        DsrCase c = verification.attestByAgent(reference, actor, text(body, "method"), text(body, "note"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reference", c.id());
        out.put("state", c.state().name());
        out.put("verifiedAt", c.verifiedAt());
        out.put("dueAt", c.dueAt());
        return out;
    }

    /** Runs a case's failed systems again (all, or {@code {"system": "crm"}}); those already done are not asked again. */
    @PostMapping(path = "/api/requests/{reference}/retry")
    Map<String, Object> retry(@PathVariable String reference, @RequestBody(required = false) JsonNode body) {
        String actor = operators.actor();
        java.util.List<String> systems = fulfilment.retry(reference, text(body, "system"), actor);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reference", reference);
        out.put("retrying", systems);
        return out;
    }

    /** Each system's task for a case, with the export counts or the erasure report and its proof. */
    @org.springframework.web.bind.annotation.GetMapping("/api/requests/{reference}/tasks")
    java.util.List<Map<String, Object>> tasks(@PathVariable String reference) {
        operators.actor();
        return fulfilment.taskReport(reference);
    }

    /** Each connected system: what it is, its health as last checked, its last error, its tasks of the last day. */
    @org.springframework.web.bind.annotation.GetMapping("/api/connectors")
    java.util.List<Map<String, Object>> connectors() {
        operators.actor();
        return health.overview();
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body == null ? null : body.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    @PostMapping(path = "/api/requests/{reference}/extension", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> extend(@PathVariable String reference, @RequestBody JsonNode body) {
        String actor = operators.actor();
        if (!reference.matches("[0-9A-HJKMNP-TV-Z]{26}")) {
            throw new ApiRefusal(404, "not_found", "No request with this reference.");
        }
        ExtensionBody asked = ExtensionBody.read(body);
        JsonNode reason = body.get("reason");
        DsrCase c = extensions.extend(reference, asked.amount(), asked.unit(), reason == null || !reason.isTextual() ? null : reason.asText(), actor);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reference", c.id());
        out.put("policy", c.policy());
        out.put("dueAt", c.dueAt());
        return out;
    }
}
