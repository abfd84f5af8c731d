package org.dsrflow.web;

import org.dsrflow.ApiRefusal;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.dsrflow.cases.DsrCase;
import org.dsrflow.deadline.DayCount;
import org.dsrflow.deadline.Extensions;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Support staff extend a deadline: {@code POST /api/requests/{ref}/extension} with
 * {@code {"amount": 2, "unit": "MONTHS", "reason": "..."}} (unit optional), the operator token
 * and the operator's name. The requester is told by mail.
 */
@RestController
class DeadlineController {
    private final Extensions extensions;
    private final OperatorAccess operators;

    DeadlineController(Extensions extensions, OperatorAccess operators) {
        this.extensions = extensions;
        this.operators = operators;
    }

    @PostMapping(path = "/api/requests/{reference}/extension", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> extend(@PathVariable String reference, @RequestBody JsonNode body,
                               @RequestHeader(name = "Authorization", required = false) String authorization,
                               @RequestHeader(name = "X-Dsrflow-Operator", required = false) String operator) {
        String actor = operators.check(authorization, operator);
        if (!reference.matches("[0-9A-HJKMNP-TV-Z]{26}")) {
            throw new ApiRefusal(404, "not_found", "No request with this reference.");
        }
        JsonNode amount = body.get("amount");
        if (amount == null || !amount.canConvertToInt() || !amount.isIntegralNumber()) {
            throw new ApiRefusal(400, "validation_failed", "amount: a whole number is required.");
        }
        DayCount unit = null;
        JsonNode unitField = body.get("unit");
        if (unitField != null && !unitField.isNull()) {
            try {
                unit = DayCount.valueOf(unitField.asText().trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new ApiRefusal(400, "validation_failed", "unit: CALENDAR_DAYS, WORKING_DAYS or MONTHS.");
            }
        }
        JsonNode reason = body.get("reason");
        DsrCase c = extensions.extend(reference, amount.asInt(), unit, reason == null || !reason.isTextual() ? null : reason.asText(), actor);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reference", c.id());
        out.put("policy", c.policy());
        out.put("dueAt", c.dueAt());
        return out;
    }
}
