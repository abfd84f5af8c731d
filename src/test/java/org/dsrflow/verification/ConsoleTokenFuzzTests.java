package org.dsrflow.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.dsrflow.ApiRefusal;
import org.dsrflow.fuzz.Fuzz;
import org.dsrflow.fuzz.Hostile;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * The console token a signed-in user may send with the web form ({@code Authorization: Bearer ...}),
 * checked by {@link ConsoleTokens#verify} before anything of the request is read. A tenth of the
 * generated tokens carry a valid signature over a mutated header and claims, so the checks behind
 * the signature are reached as well.
 */
class ConsoleTokenFuzzTests {
    private static final String ISSUER = "https://console.example.test";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final ConsoleTokens tokens;
    private final PrivateKey key;

    ConsoleTokenFuzzTests() throws Exception {
        // the account directory only serves apply(), which comes after the token was verified
        tokens = new ConsoleTokens(new ConsoleTokenSettings(true, "classpath:console/test-jwks.json", ISSUER, "dsrflow",
                Duration.ofSeconds(30), List.of("RS256", "ES256"), null), new DefaultResourceLoader(), null);
        String pem = new ClassPathResource("console/test-console-key.pem").getContentAsString(StandardCharsets.UTF_8)
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    @Test
    void anyTokenIsAUserOrA401Refusal() {
        Fuzz.check(tokens(), token -> Fuzz.expect(() -> tokens.verify(token), user -> {
            assertThat(user.subject()).isNotBlank();
            assertThat(user.email()).isNotBlank().isEqualTo(user.email().trim().toLowerCase(Locale.ROOT));
        }, refusal -> {
            assertThat(((ApiRefusal) refusal).status()).isEqualTo(401);
            assertThat(((ApiRefusal) refusal).error()).isEqualTo("invalid_console_token");
        }, ApiRefusal.class));
    }

    private Gen<String> tokens() {
        Gen<String> headers = Hostile.jsonNear(List.of(Hostile.json("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"test-console-1\"}"),
                Hostile.json("{\"alg\":\"none\",\"typ\":\"JWT\"}"), Hostile.json("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"),
                Hostile.json("{\"alg\":\"RSA-OAEP\",\"enc\":\"A128GCM\"}")));
        Gen<String> claims = Hostile.jsonNear(List.of(validClaims()));
        return in -> switch (Hostile.draw(in, 9)) {
            case 0 -> Hostile.text().generate(in);
            case 1 -> Hostile.text().generate(in) + "." + Hostile.text().generate(in) + "." + Hostile.text().generate(in);
            case 2 -> {
                String signed = b64(headers.generate(in)) + "." + b64(claims.generate(in));
                yield signed + "." + sign(signed);
            }
            case 3, 4 -> b64(headers.generate(in)) + "." + b64(claims.generate(in)) + "." + b64(Hostile.text().generate(in))
                    + (Hostile.draw(in, 3) == 0 ? ".a.b" : "");
            default -> b64(headers.generate(in)) + "." + b64(claims.generate(in)) + ".";
        };
    }

    private static JsonNode validClaims() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "4711");
        claims.put("email", "Ann.Lee@Example.com");
        claims.put("iss", ISSUER);
        claims.put("aud", "dsrflow");
        long now = Instant.now().getEpochSecond();
        claims.put("iat", now - 5);
        claims.put("exp", now + 3600);
        return Hostile.object(claims);
    }

    private static String b64(String text) {
        return B64.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private String sign(String signed) {
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
            return B64.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
