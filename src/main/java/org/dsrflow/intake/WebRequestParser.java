package org.dsrflow.intake;

import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dsrflow.Printable;
import org.dsrflow.cases.CaseType;
import org.dsrflow.cases.Channel;
import org.springframework.stereotype.Component;

/**
 * Reads the web form's JSON ({@code {"type","email","language"}}) into a {@link NewRequest}.
 * Unknown fields, wrong types and oversized values are refused with a message naming the field.
 */
@Component("webRequestParser")
public class WebRequestParser {
    public static final int MAX_BODY_BYTES = 16 * 1024;
    private static final Set<String> FIELDS = Set.of("type", "email", "language");

    private final ObjectMapper json;

    WebRequestParser(ObjectMapper json) {
        this.json = json;
    }

    public NewRequest parse(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidRequestException(null, "The request body is empty: send {\"type\", \"email\", \"language\"}.");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonParseException e) {
            throw new InvalidRequestException(null, "The request body is not valid JSON.");
        } catch (IOException e) {
            throw new InvalidRequestException(null, "The request body could not be read.");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException(null, "The request body must be a JSON object.");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidRequestException(Printable.clip(name, 40), "Unknown field; expected only type, email and language.");
            }
        }
        String email = RequestValidation.email("email", textField(root, "email"));
        return new NewRequest(type(textField(root, "type")), Channel.WEB, email, email,
                RequestValidation.language("language", textField(root, "language")));
    }

    private static CaseType type(String value) {
        if (value == null) {
            throw new InvalidRequestException("type", "Please choose the kind of request: ACCESS or DELETION.");
        }
        try {
            return CaseType.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("type", "Unknown request type; expected ACCESS or DELETION.");
        }
    }

    private static String textField(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidRequestException(field, "Expected text.");
        }
        String text = v.asText();
        // Refused before any trimming: trim() would quietly strip NUL and line breaks (header injection).
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException(field, "Control characters are not allowed.");
        }
        return text;
    }
}
