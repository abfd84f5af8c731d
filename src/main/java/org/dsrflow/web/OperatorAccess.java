package org.dsrflow.web;

import org.dsrflow.ApiRefusal;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Names the member of staff behind a request for the audit log. The security layer has already
 * decided that they may act (docs/console.md); this only says who: {@code operator:<name>}, the
 * same for a console user and for a script with the operator token.
 */
@Component
public class OperatorAccess {

    /** The acting person as written in the audit log. */
    public String actor() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !auth.isAuthenticated() || auth.getName() == null || "anonymousUser".equals(auth.getName())) {
            throw new ApiRefusal(401, "unauthorized", "This action is for support staff: sign in, or send the operator token.");
        }
        String name = auth.getName();
        if (!name.matches("[A-Za-z0-9._@-]{1,64}")) {
            // an OIDC subject may be anything: keep the log readable and bounded
            name = name.replaceAll("[^A-Za-z0-9._@-]", "_");
            name = name.substring(0, Math.min(64, name.length()));
        }
        return "operator:" + name;
    }

    /** The user's roles without the prefix, e.g. {@code [agent]}. */
    public java.util.List<String> roles() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth == null ? java.util.List.of() : auth.getAuthorities().stream().map(a -> a.getAuthority())
                .filter(a -> a.startsWith("ROLE_")).map(a -> a.substring(5).toLowerCase(java.util.Locale.ROOT)).sorted().toList();
    }
}
