package org.dsrflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Http;
import org.dsrflow.support.StaffSession;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every endpoint the application maps, found at run time, against the access table of
 * docs/console.md: public ones answer without sign-in; the others refuse without it (401 for the API,
 * the sign-in page for pages) and refuse a role that is not allowed (403). An endpoint added without
 * being put in this table fails the test, so none is left open by accident.
 */
class EndpointSecurityTests extends EmbeddedStackTest {
    private static final String PUBLIC = "public";
    /** Public, but checked by its own signature instead of a sign-in (the ticket webhook). */
    private static final String SIGNED = "signed";
    private static final String STAFF = "manager,agent,admin";
    private static final String ACTORS = "agent,admin";
    private static final String REPORTERS = "manager,admin";

    /** "METHOD path" → who may call it. */
    private static final Map<String, String> ACCESS = new LinkedHashMap<>();

    static {
        ACCESS.put("POST /api/requests", PUBLIC);
        ACCESS.put("GET /api/requests/{reference}", PUBLIC);
        ACCESS.put("POST /api/requests/{reference}/choice", PUBLIC);
        ACCESS.put("POST /api/requests/{reference}/verification", PUBLIC);
        ACCESS.put("POST /api/requests/{reference}/verification/resend", PUBLIC);
        ACCESS.put("POST /api/tickets", SIGNED);
        ACCESS.put("GET /download/{token}", PUBLIC);
        ACCESS.put("POST /download/{token}", PUBLIC);
        ACCESS.put("GET /manual/{token}", PUBLIC);
        ACCESS.put("POST /manual/{token}", PUBLIC);
        ACCESS.put("GET /login", PUBLIC);
        ACCESS.put("GET /demo/systems/{database}/{table}", PUBLIC);
        ACCESS.put("* /error", PUBLIC);
        ACCESS.put("GET /console", STAFF);
        ACCESS.put("GET /console/", STAFF);
        ACCESS.put("GET /api/console/me", STAFF);
        ACCESS.put("GET /api/console/overview", STAFF);
        ACCESS.put("GET /api/console/dependencies", STAFF);
        ACCESS.put("GET /api/console/cases", STAFF);
        ACCESS.put("GET /api/console/cases/{reference}", STAFF);
        ACCESS.put("GET /api/requests/{reference}/tasks", STAFF);
        ACCESS.put("GET /api/connectors", STAFF);
        ACCESS.put("POST /api/console/cases/{reference}/actions/attest", ACTORS);
        ACCESS.put("POST /api/console/cases/{reference}/actions/extend", ACTORS);
        ACCESS.put("POST /api/console/cases/{reference}/actions/retry", ACTORS);
        ACCESS.put("POST /api/console/cases/{reference}/actions/reject", ACTORS);
        ACCESS.put("POST /api/console/cases/{reference}/actions/resend-mail", ACTORS);
        ACCESS.put("POST /api/console/cases/{reference}/actions/close-task", ACTORS);
        ACCESS.put("POST /api/requests/{reference}/attestation", ACTORS);
        ACCESS.put("POST /api/requests/{reference}/extension", ACTORS);
        ACCESS.put("POST /api/requests/{reference}/retry", ACTORS);
        ACCESS.put("GET /api/console/report.csv", REPORTERS);
        ACCESS.put("GET /api/audit/verify", REPORTERS);
    }

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void everyMappedEndpointIsInTheAccessTable() {
        Set<String> mapped = new TreeSet<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String path : info.getPatternValues()) {
                if (methods.isEmpty()) {
                    mapped.add("* " + path);
                }
                methods.forEach(m -> mapped.add(m.name() + " " + path));
            }
        }
        assertThat(mapped).as("classify new endpoints in ACCESS (and docs/console.md)").containsExactlyInAnyOrderElementsOf(ACCESS.keySet());
    }

    @Test
    void eachEndpointRefusesWithoutSignInAndWithTheWrongRole() throws Exception {
        Map<String, StaffSession> staff = new LinkedHashMap<>();
        for (String role : new String[] {"manager", "agent", "admin"}) {
            StaffSession s = new StaffSession(port);
            s.signIn(role, "demo-only-password");
            staff.put(role, s);
        }
        HttpClient anonymous = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        int checked = 0;
        for (Map.Entry<String, String> e : ACCESS.entrySet()) {
            String method = e.getKey().substring(0, e.getKey().indexOf(' '));
            String path = e.getKey().substring(e.getKey().indexOf(' ') + 1)
                    .replace("{reference}", "01ARZ3NDEKTSV4RRFFQ69G5FAV").replace("{token}", "not-a-token")
                    .replace("{database}", "billing").replace("{table}", "accounts");
            if (method.equals("*")) {
                method = "GET";
            }
            if (path.equals("/api/console/report.csv")) {
                path += "?from=2026-01-01&to=2026-01-31";
            }
            HttpResponse<String> answer = send(anonymous, method, path);
            int status = answer.statusCode();
            if (e.getValue().equals(SIGNED)) {
                assertThat(status).as(e.getKey() + " without its signature").isEqualTo(401);
                assertThat(answer.body()).as("refused by its own check, not the sign-in").contains("X-Dsrflow-Source")
                        .doesNotContain("Sign in");
                checked++;
                continue;
            }
            if (e.getValue().equals(PUBLIC)) {
                assertThat(status).as(e.getKey() + " is public").isNotIn(401, 403);
                checked++;
                continue;
            }
            if (path.startsWith("/api/")) {
                assertThat(status).as(e.getKey() + " without sign-in").isEqualTo(401);
            } else {
                assertThat(status).as(e.getKey() + " without sign-in goes to the sign-in page").isEqualTo(302);
            }
            for (Map.Entry<String, StaffSession> s : staff.entrySet()) {
                Http.Reply reply = method.equals("GET") ? s.getValue().get(path) : s.getValue().postJson(path, "{}");
                if (e.getValue().contains(s.getKey())) {
                    assertThat(reply.status()).as(e.getKey() + " as " + s.getKey()).isNotIn(401, 403);
                } else {
                    assertThat(reply.status()).as(e.getKey() + " as " + s.getKey()).isEqualTo(403);
                }
            }
            checked++;
        }
        assertThat(checked).isEqualTo(ACCESS.size());
    }

    private HttpResponse<String> send(HttpClient client, String method, String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        request = method.equals("GET") ? request.GET()
                : request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"));
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
