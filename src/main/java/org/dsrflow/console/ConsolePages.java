package org.dsrflow.console;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The two pages of the console: the sign-in page (public) and the console itself (signed in). They
 * live outside the static folder so that nobody reaches the console's page without the security
 * check, and so the forms get their CSRF token written in (they work without script). Their
 * scripts and styles are under /assets.
 */
@RestController
class ConsolePages {
    private final ObjectProvider<ClientRegistrationRepository> oidc;

    ConsolePages(ObjectProvider<ClientRegistrationRepository> oidc) {
        this.oidc = oidc;
    }

    @GetMapping("/login")
    ResponseEntity<String> login(HttpServletRequest request) throws IOException {
        StringBuilder providers = new StringBuilder();
        if (oidc.getIfAvailable() instanceof Iterable<?> registrations) {
            for (Object r : registrations) {
                ClientRegistration c = (ClientRegistration) r;
                providers.append("<p><a class=\"button\" href=\"/oauth2/authorization/").append(HtmlUtils.htmlEscape(c.getRegistrationId()))
                        .append("\">Sign in with ").append(HtmlUtils.htmlEscape(c.getClientName())).append("</a></p>");
            }
        }
        return page("console/login.html", request, providers.toString());
    }

    @GetMapping({"/console", "/console/"})
    ResponseEntity<String> console(HttpServletRequest request) throws IOException {
        return page("console/index.html", request, "");
    }

    private static ResponseEntity<String> page(String path, HttpServletRequest request, String oidcLinks) throws IOException {
        Object token = request.getAttribute(CsrfToken.class.getName());
        String csrf = token instanceof CsrfToken t ? HtmlUtils.htmlEscape(t.getToken()) : "";
        try (InputStream in = new ClassPathResource(path).getInputStream()) {
            String html = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("__CSRF__", csrf).replace("__OIDC__", oidcLinks);
            return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                    .header(HttpHeaders.CACHE_CONTROL, "no-store").body(html);
        }
    }
}
