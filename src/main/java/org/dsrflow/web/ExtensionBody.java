package org.dsrflow.web;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import org.dsrflow.ApiRefusal;
import org.dsrflow.deadline.DayCount;

/** The amount and unit of an extension as staff send them ({@code "unit"} optional: the policy's own). */
public record ExtensionBody(int amount, DayCount unit) {

    public static ExtensionBody read(JsonNode body) {
        JsonNode amount = body == null ? null : body.get("amount");
        if (amount == null || !amount.isIntegralNumber() || !amount.canConvertToInt()) {
            throw new ApiRefusal(400, "validation_failed", "amount: a whole number is required.");
        }
        JsonNode unit = body.get("unit");
        if (unit == null || unit.isNull() || unit.asText().isBlank()) {
            return new ExtensionBody(amount.asInt(), null);
        }
        try {
            return new ExtensionBody(amount.asInt(), DayCount.valueOf(unit.asText().trim().toUpperCase(Locale.ROOT).replace('-', '_')));
        } catch (IllegalArgumentException e) {
            throw new ApiRefusal(400, "validation_failed", "unit: CALENDAR_DAYS, WORKING_DAYS or MONTHS.");
        }
    }
}
