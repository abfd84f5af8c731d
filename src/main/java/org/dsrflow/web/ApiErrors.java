package org.dsrflow.web;

import org.dsrflow.ApiRefusal;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.CamelExecutionException;
import org.dsrflow.cases.CaseNotFoundException;
import org.dsrflow.cases.IllegalTransitionException;
import org.dsrflow.intake.InvalidRequestException;
import org.dsrflow.verification.VerificationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Every API error is JSON {@code {"error": code, "message": text[, "field": name]}} with a fitting status. */
@RestControllerAdvice
class ApiErrors {
    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    @ExceptionHandler(CamelExecutionException.class)
    ResponseEntity<Map<String, Object>> routeFailed(CamelExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof InvalidRequestException invalid) {
            return invalid(invalid);
        }
        if (cause instanceof VerificationFailedException failed) {
            return verificationFailed(failed);
        }
        if (cause instanceof CaseNotFoundException notFound) {
            return notFound(notFound);
        }
        if (cause instanceof org.dsrflow.tickets.TicketRejectedException rejected) {
            return body(HttpStatus.valueOf(rejected.status()), rejected.reason(), rejected.getMessage(), null);
        }
        if (cause instanceof ApiRefusal refusal) {
            return refused(refusal);
        }
        if (cause instanceof IllegalTransitionException conflict) {
            return body(HttpStatus.CONFLICT, "conflict", conflict.getMessage(), null);
        }
        if (cause instanceof java.util.concurrent.RejectedExecutionException) {
            // the routes are not running yet (starting) or any more (stopping): nothing was taken in
            log.warn("Request refused while the routes are not running: {}", cause.getMessage());
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5").body(body(HttpStatus.SERVICE_UNAVAILABLE,
                    "unavailable", "dsrflow is starting or stopping; nothing was taken in. Try again in a few seconds.", null).getBody());
        }
        if (org.dsrflow.health.Outages.unreachable(cause)) {
            return caseStoreDown(cause);
        }
        log.error("Request failed inside the route", cause);
        return body(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "Something went wrong on our side; nothing was lost.", null);
    }

    /** Outside a route (the console's queries): the same answer when the case store cannot be reached. */
    @ExceptionHandler({org.springframework.dao.DataAccessResourceFailureException.class,
            org.springframework.transaction.CannotCreateTransactionException.class})
    ResponseEntity<Map<String, Object>> caseStoreDown(Exception e) {
        if (!org.dsrflow.health.Outages.unreachable(e)) {
            log.error("Request failed in the case store", e);
            return body(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "Something went wrong on our side; nothing was lost.", null);
        }
        return caseStoreDown((Throwable) e);
    }

    private ResponseEntity<Map<String, Object>> caseStoreDown(Throwable e) {
        log.warn("Request refused, the case store cannot be reached: {}", e.getClass().getSimpleName());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "30").body(body(HttpStatus.SERVICE_UNAVAILABLE,
                "unavailable", "dsrflow cannot reach its case store just now, so nothing was taken in. Try again in a minute.", null)
                .getBody());
    }

    @ExceptionHandler(ApiRefusal.class)
    ResponseEntity<Map<String, Object>> refused(ApiRefusal e) {
        ResponseEntity<Map<String, Object>> answer = body(HttpStatus.valueOf(e.status()), e.error(), e.getMessage(), null);
        if (e instanceof RateLimits.Exceeded limited) {
            return ResponseEntity.status(answer.getStatusCode()).header("Retry-After", Long.toString(limited.retryAfterSeconds()))
                    .body(answer.getBody());
        }
        return answer;
    }

    @ExceptionHandler(org.springframework.web.multipart.MaxUploadSizeExceededException.class)
    ResponseEntity<Map<String, Object>> tooLarge(org.springframework.web.multipart.MaxUploadSizeExceededException e) {
        return body(HttpStatus.PAYLOAD_TOO_LARGE, "too_large", "The upload is larger than this server accepts (50 MB a file, "
                + "200 MB in all); an operator can raise spring.servlet.multipart.max-file-size.", null);
    }

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<Map<String, Object>> invalid(InvalidRequestException e) {
        return body(HttpStatus.BAD_REQUEST, "validation_failed", e.getMessage(), e.field());
    }

    @ExceptionHandler(VerificationFailedException.class)
    ResponseEntity<Map<String, Object>> verificationFailed(VerificationFailedException e) {
        return body(HttpStatus.valueOf(e.status()), e.reason(), e.getMessage(), null);
    }

    @ExceptionHandler(CaseNotFoundException.class)
    ResponseEntity<Map<String, Object>> notFound(CaseNotFoundException e) {
        return body(HttpStatus.NOT_FOUND, "not_found", "No request with this reference.", null);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
        return body(HttpStatus.BAD_REQUEST, "validation_failed", "The request body could not be read.", null);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Map<String, Object>> mediaType(HttpMediaTypeNotSupportedException e) {
        return body(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "Send JSON (Content-Type: application/json).", null);
    }

    private static ResponseEntity<Map<String, Object>> body(HttpStatus status, String error, String message, String field) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", error);
        out.put("message", message);
        if (field != null) {
            out.put("field", field);
        }
        return ResponseEntity.status(status).body(out);
    }
}
