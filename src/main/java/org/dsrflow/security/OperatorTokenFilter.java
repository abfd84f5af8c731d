package org.dsrflow.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Scripts and tools (a ticket system's macro, a runbook) act on cases without a browser session:
 * {@code Authorization: Bearer <dsrflow.operator.token>} with the person's id in
 * {@code X-Dsrflow-Operator}. They get the agent role and are audited as {@code operator:<id>}.
 * Only on staff endpoints: public ones read their own bearer (the console's JWT). A wrong token is
 * refused at once rather than treated as anonymous, so the caller learns why.
 */
class OperatorTokenFilter extends OncePerRequestFilter {
    static final String TOKEN_USE = "operator-token";
    private final byte[] token;
    private final java.util.function.Predicate<HttpServletRequest> staffPath;
    private final JsonRefusals refusals;

    OperatorTokenFilter(String token, java.util.function.Predicate<HttpServletRequest> staffPath, JsonRefusals refusals) {
        if (token == null || token.length() < 16) {
            throw new IllegalStateException("dsrflow.operator.token (DSRFLOW_OPERATOR_TOKEN) must have at least 16 characters");
        }
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.staffPath = staffPath;
        this.refusals = refusals;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ") || !staffPath.test(request)) {
            chain.doFilter(request, response);
            return;
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) {
            refusals.write(response, 401, "unauthorized", "This action is for support staff: sign in, or send the operator token.");
            return;
        }
        String operator = request.getHeader("X-Dsrflow-Operator");
        if (operator == null || !operator.matches("[A-Za-z0-9._@-]{1,48}")) {
            refusals.write(response, 400, "validation_failed", "Name the operator (header X-Dsrflow-Operator: letters, digits, ._@-).");
            return;
        }
        UsernamePasswordAuthenticationToken auth = UsernamePasswordAuthenticationToken.authenticated(operator, null,
                List.of(new SimpleGrantedAuthority(Role.AGENT.authority())));
        auth.setDetails(TOKEN_USE);
        SecurityContextHolder.getContext().setAuthentication(auth);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
