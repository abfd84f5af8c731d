package org.dsrflow.tickets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.dsrflow.Printable;
import org.dsrflow.cases.CaseType;
import org.dsrflow.cases.Channel;
import org.dsrflow.intake.IntakeSettings;
import org.dsrflow.intake.IntentClassifier;
import org.dsrflow.intake.InvalidRequestException;
import org.dsrflow.intake.NewRequest;
import org.dsrflow.intake.QuarantineStore;
import org.dsrflow.intake.RequestValidation;
import org.springframework.stereotype.Component;

/**
 * Reads a ticket event from a support tool (see docs/tickets.md for the format). The signature is
 * checked over the exact bytes before anything in them is trusted; then every field is validated.
 * Over HTTP a rejected ticket is answered with its reason; from Kafka it is quarantined with it.
 */
@Component("ticketIntake")
public class TicketIntake {
    public static final String SOURCE_HEADER = "X-Dsrflow-Source";
    private static final Set<String> FIELDS = Set.of("ticketId", "source", "requesterEmail", "subject", "body", "language", "agent",
            "identityAttested", "type");
    private static final java.util.regex.Pattern TICKET_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._:#/-]{1,128}");

    private final IntakeSettings settings;
    private final ObjectMapper json;
    private final QuarantineStore quarantine;

    TicketIntake(IntakeSettings settings, ObjectMapper json, QuarantineStore quarantine) {
        this.settings = settings;
        this.json = json;
        this.quarantine = quarantine;
    }

    /** The ticket in the exchange (bytes, with source and signature headers) as a request. */
    public NewRequest read(Exchange exchange) {
        byte[] body = exchange.getIn().getBody(byte[].class);
        return read(body, text(exchange.getIn().getHeader(SOURCE_HEADER)), text(exchange.getIn().getHeader(TicketSignature.HEADER)));
    }

    public NewRequest read(byte[] body, String sourceName, String signature) {
        if (body == null || body.length == 0) {
            throw new TicketRejectedException("empty", 400, "The ticket is empty.");
        }
        if (body.length > settings.tickets().maxSize().toBytes()) {
            throw new TicketRejectedException("too_large", 413, "The ticket is larger than " + IntakeSettings.readable(settings.tickets().maxSize()) + ".");
        }
        IntakeSettings.Source source = sourceName == null ? null : settings.tickets().sources().get(sourceName);
        if (source == null) {
            throw new TicketRejectedException("unknown_source", 401, "Unknown ticket source; send " + SOURCE_HEADER + ".");
        }
        if (!TicketSignature.matches(source.secret(), body, signature)) {
            throw new TicketRejectedException("bad_signature", 401, "The signature does not match this ticket.");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonParseException e) {
            throw new TicketRejectedException("invalid_json", 400, "The ticket is not valid JSON.");
        } catch (IOException e) {
            throw new TicketRejectedException("invalid_json", 400, "The ticket could not be read.");
        }
        if (root == null || !root.isObject()) {
            throw new TicketRejectedException("invalid_json", 400, "The ticket must be a JSON object.");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new TicketRejectedException("unknown_field", 400, "Unknown field '" + clip(name) + "'.");
            }
        }
        try {
            String declaredSource = textField(root, "source", 32);
            if (declaredSource != null && !declaredSource.equals(sourceName)) {
                throw new TicketRejectedException("source_mismatch", 400, "The ticket names another source than it is signed for.");
            }
            String ticketId = textField(root, "ticketId", 128);
            if (ticketId == null || !TICKET_ID.matcher(ticketId).matches()) {
                throw new InvalidRequestException("ticketId", "A ticket id of letters, digits and ._:#/- (at most 128) is required.");
            }
            String requester = RequestValidation.email("requesterEmail", textField(root, "requesterEmail", 254));
            String subject = textField(root, "subject", 500);
            String text = textField(root, "body", 20_000);
            String agentField = textField(root, "agent", 254);
            String agent = agentField == null ? null : RequestValidation.email("agent", agentField);
            String declaredLanguage = textField(root, "language", 5);
            String language = declaredLanguage == null ? IntentClassifier.language((subject == null ? "" : subject) + "\n" + text)
                    : RequestValidation.language("language", declaredLanguage);
            CaseType type = type(textField(root, "type", 16), subject, text);
            boolean attested = root.path("identityAttested").asBoolean(false);
            if (root.has("identityAttested") && !root.get("identityAttested").isBoolean()) {
                throw new InvalidRequestException("identityAttested", "Expected true or false.");
            }
            String attestedBy = attested && source.trustAttestation() && agent != null ? agent : null;
            return new NewRequest(type, Channel.TICKET, requester, requester, language, agent, sourceName, ticketId,
                    "ticket:" + sourceName + ":" + ticketId, null, null, attestedBy);
        } catch (InvalidRequestException e) {
            throw new TicketRejectedException("invalid_field", 400,
                    (e.field() == null ? "" : e.field() + ": ") + e.getMessage());
        }
    }

    /** A ticket from Kafka that was rejected: kept with its reason, since there is nobody to answer. */
    public void quarantine(Exchange exchange, Exception cause) {
        byte[] body = exchange.getIn().getBody(byte[].class);
        String reason = cause instanceof TicketRejectedException r ? r.reason() + ": " + r.getMessage()
                : "could not be taken in: " + cause.getClass().getSimpleName();
        String source = text(exchange.getIn().getHeader(SOURCE_HEADER));
        quarantine.put("TICKET", source == null ? null : clip(source), null, reason, body == null ? 0 : body.length, body);
    }

    private static CaseType type(String declared, String subject, String text) {
        if (declared == null) {
            return IntentClassifier.classify(subject, text).type();
        }
        try {
            CaseType type = CaseType.valueOf(declared.trim().toUpperCase(Locale.ROOT));
            if (type == CaseType.UNDECIDED) {
                return IntentClassifier.classify(subject, text).type();
            }
            return type;
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("type", "Expected ACCESS or DELETION (or leave it out).");
        }
    }

    private static String textField(JsonNode root, String field, int max) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidRequestException(field, "Expected text.");
        }
        String value = v.asText();
        if (value.length() > max) {
            throw new InvalidRequestException(field, "At most " + max + " characters.");
        }
        boolean multiline = field.equals("body");
        if (value.chars().anyMatch(c -> Character.isISOControl(c) && !(multiline && (c == '\n' || c == '\r' || c == '\t')))) {
            throw new InvalidRequestException(field, "Control characters are not allowed.");
        }
        return value;
    }

    private static String text(Object header) {
        if (header == null) {
            return null;
        }
        String s = header instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : header.toString();
        return s.trim();
    }

    private static String clip(String s) {
        return Printable.clip(s, 40);
    }
}
