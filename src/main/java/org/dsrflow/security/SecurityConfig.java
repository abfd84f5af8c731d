package org.dsrflow.security;

import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who may reach what. The requester's side (the form, status, verification, downloads, a manual
 * system owner's signed link, the ticket webhook with its own signature) is public; the console and
 * the staff API need a signed-in user with a role, or the operator token for scripts. Pages send a
 * visitor without a session to the sign-in page; the API answers 401 or 403 in JSON. Forms and
 * the console's calls carry a CSRF token (cookie {@code XSRF-TOKEN}, sent back as header
 * {@code X-XSRF-TOKEN} or field {@code _csrf}). See docs/console.md for the role table.
 */
@Configuration
class SecurityConfig {
    private static final PathPatternRequestMatcher.Builder PATHS = PathPatternRequestMatcher.withDefaults();

    /** Everything the requester, a system owner or a webhook reaches without a staff login. */
    static final RequestMatcher PUBLIC = new OrRequestMatcher(
            PATHS.matcher(HttpMethod.GET, "/"), PATHS.matcher(HttpMethod.GET, "/index.html"),
            PATHS.matcher(HttpMethod.GET, "/status.html"), PATHS.matcher(HttpMethod.GET, "/verify.html"),
            PATHS.matcher(HttpMethod.GET, "/login"), PATHS.matcher(HttpMethod.GET, "/assets/**"),
            PATHS.matcher(HttpMethod.GET, "/favicon.ico"), PATHS.matcher("/error"),
            PATHS.matcher(HttpMethod.GET, "/actuator/health/**"), PATHS.matcher(HttpMethod.GET, "/actuator/info"),
            PATHS.matcher(HttpMethod.GET, "/actuator/prometheus"),
            PATHS.matcher("/download/**"), PATHS.matcher("/manual/**"),
            PATHS.matcher(HttpMethod.POST, "/api/requests"), PATHS.matcher(HttpMethod.GET, "/api/requests/{reference}"),
            PATHS.matcher(HttpMethod.POST, "/api/requests/{reference}/choice"),
            PATHS.matcher(HttpMethod.POST, "/api/requests/{reference}/verification"),
            PATHS.matcher(HttpMethod.POST, "/api/requests/{reference}/verification/resend"),
            PATHS.matcher(HttpMethod.POST, "/api/tickets"));

    /** The staff API: JSON answers, operator token accepted. */
    static final RequestMatcher STAFF_API = new OrRequestMatcher(
            PATHS.matcher("/api/requests/{reference}/attestation"), PATHS.matcher("/api/requests/{reference}/retry"),
            PATHS.matcher("/api/requests/{reference}/extension"), PATHS.matcher("/api/requests/{reference}/tasks"),
            PATHS.matcher("/api/connectors"), PATHS.matcher("/api/audit/**"), PATHS.matcher("/api/console/**"));

    @Bean
    StaffUsers staffUsers(SecuritySettings settings) {
        return new StaffUsers(settings);
    }

    @Bean
    RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix().role("ADMIN").implies("AGENT", "MANAGER").build();
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, StaffUsers users, ObjectMapper json,
                                            @Value("${dsrflow.operator.token}") String operatorToken,
                                            @Value("${dsrflow.embedded.postgres.enabled:true}") boolean demoTables,
                                            ObjectProvider<ClientRegistrationRepository> oidcProviders,
                                            SecuritySettings settings) throws Exception {
        JsonRefusals refusals = new JsonRefusals(json);
        DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(users);
        passwords.setPasswordEncoder(users.encoder());
        http.authenticationProvider(passwords);

        http.authorizeHttpRequests(a -> {
            a.requestMatchers(PUBLIC).permitAll();
            if (demoTables) {
                a.requestMatchers(HttpMethod.GET, "/demo/**").permitAll();
            }
            a.requestMatchers("/api/requests/{reference}/attestation", "/api/requests/{reference}/retry",
                            "/api/requests/{reference}/extension", "/api/console/cases/{reference}/actions/**")
                    .hasRole("AGENT")
                    .requestMatchers("/api/console/report.csv", "/api/audit/**").hasRole("MANAGER")
                    .requestMatchers("/api/requests/{reference}/tasks", "/api/connectors", "/api/console/**", "/console/**")
                    .hasAnyRole("MANAGER", "AGENT")
                    .anyRequest().authenticated();
        });

        CookieCsrfTokenRepository csrfCookie = CookieCsrfTokenRepository.withHttpOnlyFalse();
        csrfCookie.setCookieCustomizer(c -> c.sameSite("Strict").path("/"));
        CsrfTokenRequestAttributeHandler plain = new CsrfTokenRequestAttributeHandler();
        http.csrf(c -> c.csrfTokenRepository(csrfCookie).csrfTokenRequestHandler(plain)
                .ignoringRequestMatchers(PUBLIC)
                .ignoringRequestMatchers(r -> r.getHeader("Authorization") != null && r.getHeader("Authorization").startsWith("Bearer ")));
        // the token is created lazily; load it on every page so the cookie is there for the next form
        http.addFilterAfter(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                Object token = request.getAttribute(CsrfToken.class.getName());
                if (token instanceof CsrfToken t && !PUBLIC.matches(request)) {
                    t.getToken();
                }
                chain.doFilter(request, response);
            }
        }, BasicAuthenticationFilter.class);

        http.addFilterBefore(new OperatorTokenFilter(operatorToken, STAFF_API::matches, refusals),
                UsernamePasswordAuthenticationFilter.class);

        http.formLogin(f -> f.loginPage("/login").loginProcessingUrl("/login").defaultSuccessUrl("/console/", false)
                .failureUrl("/login?error").permitAll());
        http.logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/login?out").deleteCookies("JSESSIONID", "XSRF-TOKEN"));
        if (oidcProviders.getIfAvailable() != null) {
            http.oauth2Login(o -> o.loginPage("/login").defaultSuccessUrl("/console/", false)
                    .userInfoEndpoint(u -> u.userAuthoritiesMapper(authorities -> oidcRoles(authorities, settings.oidc()))));
        }
        http.exceptionHandling(e -> e
                .defaultAuthenticationEntryPointFor((req, res, ex) -> refusals.write(res, 401, "unauthorized",
                        "Sign in to the console (or send the operator token) to use this."), r -> r.getRequestURI().startsWith("/api/")
                        || r.getRequestURI().startsWith("/actuator/"))
                .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"), r -> true)
                .accessDeniedHandler((req, res, ex) -> {
                    org.springframework.security.core.Authentication who =
                            org.springframework.security.core.context.SecurityContextHolder.getContext().getAuthentication();
                    boolean signedIn = who != null && who.isAuthenticated()
                            && !(who instanceof org.springframework.security.authentication.AnonymousAuthenticationToken);
                    if (!signedIn) {
                        // a change without sign-in is refused for that reason first, whatever its CSRF token
                        if (req.getRequestURI().startsWith("/api/")) {
                            refusals.write(res, 401, "unauthorized", "Sign in to the console (or send the operator token) to use this.");
                        } else {
                            res.sendRedirect("/login");
                        }
                        return;
                    }
                    refusals.write(res, 403, "forbidden", ex instanceof org.springframework.security.web.csrf.CsrfException
                            ? "The form's security token is missing or stale: reload the page." : "Your role does not allow this.");
                }));
        http.headers(h -> h
                .contentSecurityPolicy(c -> c.policyDirectives("default-src 'self'; script-src 'self'; style-src 'self'; "
                        + "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"))
                .frameOptions(f -> f.deny())
                .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)));
        return http.build();
    }

    /** Roles from the provider's groups claim, through {@code dsrflow.security.oidc.role-mapping}; no mapping, no role. */
    private static Collection<? extends GrantedAuthority> oidcRoles(Collection<? extends GrantedAuthority> given, SecuritySettings.Oidc oidc) {
        Set<GrantedAuthority> out = new HashSet<>();
        for (GrantedAuthority a : given) {
            if (a instanceof OidcUserAuthority user) {
                Object claim = user.getIdToken().getClaims().get(oidc.rolesClaim());
                if (claim == null && user.getUserInfo() != null) {
                    claim = user.getUserInfo().getClaims().get(oidc.rolesClaim());
                }
                List<?> groups = claim instanceof List<?> l ? l : claim == null ? List.of() : List.of(claim);
                for (Object g : groups) {
                    String role = oidc.roleMapping().get(String.valueOf(g));
                    if (role != null) {
                        out.add(new SimpleGrantedAuthority(Role.parse(role).authority()));
                    }
                }
            }
        }
        return out;
    }
}
