package org.dsrflow.web;

import org.dsrflow.ApiRefusal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Guards the endpoints for support staff (extending a deadline, and later attesting identity):
 * they need {@code Authorization: Bearer <dsrflow.operator.token>}. A stop-gap until operator
 * login and roles exist; the token is compared in constant time.
 */
@Component
public class OperatorAccess {
    private final byte[] token;

    OperatorAccess(@Value("${dsrflow.operator.token}") String token) {
        if (token == null || token.length() < 16) {
            throw new IllegalStateException("dsrflow.operator.token (DSRFLOW_OPERATOR_TOKEN) must have at least 16 characters");
        }
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /** The operator's name for the audit log, once the header is checked. */
    public String check(String authorization, String operator) {
        byte[] given = authorization != null && authorization.startsWith("Bearer ")
                ? authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(given, token)) {
            throw new ApiRefusal(401, "unauthorized", "This action is for support staff: send the operator token.");
        }
        if (operator == null || !operator.matches("[A-Za-z0-9._@-]{1,48}")) {
            throw new ApiRefusal(400, "validation_failed", "Name the operator (header X-Dsrflow-Operator: letters, digits, ._@-).");
        }
        return "operator:" + operator;
    }
}
