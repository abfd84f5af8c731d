package org.dsrflow.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.dsrflow.support.Http;
import org.dsrflow.support.StaffSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Sign-in through an OIDC provider. The provider is a third party that cannot run here, so the test
 * plays it as a real HTTP server (token and key endpoints) that signs ID tokens with a key of its
 * own; dsrflow does the whole authorization-code flow against it and maps the groups claim to roles.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(locations = "classpath:dsrflow-test.properties")
@Tag("stack")
class OidcSignInTests {
    private static final HttpServer PROVIDER;
    private static final RSAKey KEY;
    /** What the next token answer says: the nonce dsrflow sent, and the person's groups. */
    private static final AtomicReference<String> NONCE = new AtomicReference<>();
    private static final AtomicReference<List<String>> GROUPS = new AtomicReference<>(List.of());
    private static final AtomicReference<String> CLIENT_AUTH = new AtomicReference<>();

    static {
        try {
            KEY = new RSAKeyGenerator(2048).keyID("provider-key").generate();
            PROVIDER = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            PROVIDER.createContext("/jwks", ex -> answer(ex, new JWKSet(KEY.toPublicJWK()).toString()));
            PROVIDER.createContext("/token", OidcSignInTests::token);
            PROVIDER.start();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void provider(DynamicPropertyRegistry registry) {
        String base = "http://127.0.0.1:" + PROVIDER.getAddress().getPort();
        String reg = "spring.security.oauth2.client.registration.corp.";
        registry.add(reg + "client-id", () -> "dsrflow");
        registry.add(reg + "client-secret", () -> "test-client-secret");
        registry.add(reg + "client-name", () -> "Corp SSO");
        registry.add(reg + "authorization-grant-type", () -> "authorization_code");
        registry.add(reg + "redirect-uri", () -> "{baseUrl}/login/oauth2/code/{registrationId}");
        registry.add(reg + "scope", () -> "openid,profile");
        String prov = "spring.security.oauth2.client.provider.corp.";
        registry.add(prov + "authorization-uri", () -> base + "/authorize");
        registry.add(prov + "token-uri", () -> base + "/token");
        registry.add(prov + "jwk-set-uri", () -> base + "/jwks");
        registry.add(prov + "user-name-attribute", () -> "sub");
        registry.add("dsrflow.security.oidc.role-mapping.privacy-managers", () -> "manager");
        registry.add("dsrflow.security.oidc.role-mapping.privacy-agents", () -> "agent");
    }

    @AfterAll
    static void stop() {
        PROVIDER.stop(0);
    }

    @Test
    void aManagerSignsInThroughTheProviderAndGetsTheRoleOfTheirGroup() throws Exception {
        StaffSession browser = new StaffSession(port);
        assertThat(browser.get("/login").body()).contains("href=\"/oauth2/authorization/corp\"").contains("Sign in with Corp SSO");

        GROUPS.set(List.of("everyone", "privacy-managers"));
        Http.Reply done = signIn(browser, "u-7781");
        assertThat(done.status()).isEqualTo(302);
        assertThat(done.headers().firstValue("Location").orElse("")).endsWith("/console/");
        assertThat(CLIENT_AUTH.get()).as("dsrflow authenticates to the token endpoint").startsWith("Basic ");
        Http.Reply me = browser.get("/api/console/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("name").asText()).isEqualTo("u-7781");
        assertThat(me.json().path("roles").toString()).isEqualTo("[\"manager\"]");
        assertThat(browser.get("/api/console/overview").status()).isEqualTo(200);
        assertThat(browser.postJson("/api/console/cases/01ARZ3NDEKTSV4RRFFQ69G5FAV/actions/reject", "{\"reason\":\"x\"}").status())
                .as("a manager does not act on cases").isEqualTo(403);

        StaffSession outsider = new StaffSession(port);
        GROUPS.set(List.of("engineering"));
        assertThat(signIn(outsider, "u-9001").status()).isEqualTo(302);
        assertThat(outsider.get("/api/console/overview").status()).as("signed in, but no mapped group: no role").isEqualTo(403);

        StaffSession forger = new StaffSession(port);
        GROUPS.set(List.of("privacy-agents"));
        Http.Reply start = forger.get("/oauth2/authorization/corp");
        Map<String, String> asked = query(start.headers().firstValue("Location").orElseThrow());
        NONCE.set("not-the-nonce-that-was-sent");
        Http.Reply replayed = forger.get("/login/oauth2/code/corp?code=c-1&state=" + asked.get("state"));
        assertThat(replayed.headers().firstValue("Location").orElse("")).as("an ID token with the wrong nonce is refused").contains("/login?error");
        assertThat(forger.get("/api/console/me").status()).isEqualTo(401);
    }

    /** The browser's round trip: dsrflow sends it to the provider, the provider sends it back with a code. */
    private Http.Reply signIn(StaffSession browser, String subject) throws Exception {
        Http.Reply start = browser.get("/oauth2/authorization/corp");
        assertThat(start.status()).isEqualTo(302);
        Map<String, String> asked = query(start.headers().firstValue("Location").orElseThrow());
        assertThat(asked.get("client_id")).isEqualTo("dsrflow");
        assertThat(asked.get("redirect_uri")).isEqualTo("http://localhost:" + port + "/login/oauth2/code/corp");
        NONCE.set(asked.get("nonce") + "|" + subject);
        Http.Reply back = browser.get("/login/oauth2/code/corp?code=c-" + subject + "&state=" + asked.get("state"));
        String next = back.headers().firstValue("Location").orElse("");
        if (back.status() == 302 && next.endsWith("/console/")) {
            browser.get("/console/");
        }
        return back;
    }

    private static void token(HttpExchange ex) throws java.io.IOException {
        CLIENT_AUTH.set(ex.getRequestHeaders().getFirst("Authorization"));
        String[] nonceAndSubject = NONCE.get().split("\\|");
        try {
            Instant now = Instant.now();
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("http://127.0.0.1:" + PROVIDER.getAddress().getPort())
                    .subject(nonceAndSubject.length > 1 ? nonceAndSubject[1] : "someone").audience("dsrflow")
                    .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                    .claim("nonce", nonceAndSubject[0]).claim("groups", GROUPS.get()).build();
            SignedJWT idToken = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY.getKeyID()).build(), claims);
            idToken.sign(new RSASSASigner(KEY));
            answer(ex, "{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":300,\"scope\":\"openid profile\","
                    + "\"id_token\":\"" + idToken.serialize() + "\"}");
        } catch (Exception e) {
            ex.sendResponseHeaders(500, -1);
        }
    }

    private static void answer(HttpExchange ex, String json) throws java.io.IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    private static Map<String, String> query(String location) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }
}
