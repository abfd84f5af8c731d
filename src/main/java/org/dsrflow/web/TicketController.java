package org.dsrflow.web;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.dsrflow.intake.IntakeResult;
import org.dsrflow.tickets.TicketIntake;
import org.dsrflow.tickets.TicketSignature;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/tickets}: a support tool files a signed ticket; the ticket route does the rest. */
@RestController
class TicketController {
    private final ProducerTemplate camel;

    TicketController(ProducerTemplate camel) {
        this.camel = camel;
    }

    @PostMapping(path = "/api/tickets", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> file(@RequestBody byte[] body,
                                             @RequestHeader(name = TicketIntake.SOURCE_HEADER, required = false) String source,
                                             @RequestHeader(name = TicketSignature.HEADER, required = false) String signature) {
        Map<String, Object> headers = new HashMap<>();
        if (source != null) {
            headers.put(TicketIntake.SOURCE_HEADER, source);
        }
        if (signature != null) {
            headers.put(TicketSignature.HEADER, signature);
        }
        IntakeResult result = camel.requestBodyAndHeaders("direct:dsr-intake-ticket", body, headers, IntakeResult.class);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reference", result.current().id());
        out.put("state", result.current().state().name());
        out.put("outcome", result.outcome().name());
        out.put("dueAt", result.current().dueAt());
        return ResponseEntity.status(result.isNew() ? HttpStatus.CREATED : HttpStatus.OK).body(out);
    }
}
