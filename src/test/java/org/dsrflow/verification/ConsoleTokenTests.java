package org.dsrflow.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Http;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A user signed in to the provider's console files a request with the console's signed token and
 * needs no mailed code; forged, expired, foreign or mismatched tokens are refused and store nothing.
 */
class ConsoleTokenTests extends EmbeddedStackTest {
    private static final String ISSUER = "https://console.example.test";

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aValidConsoleTokenVerifiesTheRequestAtOnce() throws Exception {
        String person = "mia.price@example.com"; // account 1009 in the demo's billing
        Http.Reply r = submit(person, sign(testKey(), claims(person, "1009", ISSUER, "dsrflow", Instant.now().plusSeconds(300))));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String reference = r.json().path("reference").asText();
        assertThat(jdbc.queryForObject("select verified_at is not null from dsr_case where id = ?", Boolean.class, reference)).isTrue();
        assertThat(jdbc.queryForObject("select actor from audit_log where case_id = ? and action = 'verification.attested'", String.class,
                reference)).isEqualTo("console:1009");
        assertThat(jdbc.queryForObject("select count(*) from verification where case_id = ?", Integer.class, reference))
                .as("no code was issued").isZero();
    }

    @Test
    void forgedExpiredForeignOrMismatchedTokensAreRefusedAndNothingIsStored() throws Exception {
        String person = "token.victim@example.org";
        RSAPrivateKey other = (RSAPrivateKey) KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
        Instant later = Instant.now().plusSeconds(300);
        String[][] refusals = {
                {"signed with another key", sign(other, claims(person, "4711", ISSUER, "dsrflow", later)), "401"},
                {"expired", sign(testKey(), claims(person, "4711", ISSUER, "dsrflow", Instant.now().minusSeconds(3600))), "401"},
                {"another issuer", sign(testKey(), claims(person, "4711", "https://evil.example", "dsrflow", later)), "401"},
                {"another audience", sign(testKey(), claims(person, "4711", ISSUER, "billing", later)), "401"},
                {"unsigned", new PlainJWT(claims(person, "4711", ISSUER, "dsrflow", later)).serialize(), "401"},
                {"HMAC with the public key as secret", hmac(claims(person, "4711", ISSUER, "dsrflow", later)), "401"},
                {"garbage", "not.a.token", "401"},
                {"another person's valid token", sign(testKey(), claims("someone.else@example.org", "4711", ISSUER, "dsrflow", later)), "403"},
                {"a token issued an hour ago", sign(testKey(), new JWTClaimsSet.Builder(claims(person, "4711", ISSUER, "dsrflow", later))
                        .issueTime(Date.from(Instant.now().minusSeconds(3600))).build()), "401"},
                {"a token for an address without an account", sign(testKey(), claims(person, "4711", ISSUER, "dsrflow", later)), "403"}};
        for (String[] refusal : refusals) {
            Http.Reply r = submit(person, refusal[1]);
            assertThat(r.status()).as(refusal[0]).isEqualTo(Integer.parseInt(refusal[2]));
            assertThat(r.json().path("error").asText()).as(refusal[0])
                    .isEqualTo(refusal[2].equals("403") ? "console_token_mismatch" : "invalid_console_token");
        }
        assertThat(jdbc.queryForObject("select count(*) from dsr_case where subject_email = ?", Integer.class, person)).isZero();

        // the console's user must own the account the address belongs to
        String owned = "james.hughes@example.net"; // account 1008
        Http.Reply borrowed = submit(owned, sign(testKey(), claims(owned, "9999", ISSUER, "dsrflow", later)));
        assertThat(borrowed.status()).isEqualTo(403);
        assertThat(jdbc.queryForObject("select count(*) from dsr_case where subject_email = ?", Integer.class, owned)).isZero();
    }

    @Test
    void aSinglePemPublicKeyServesAsWellAsAJwksFile() throws Exception {
        ConsoleTokenSettings pem = new ConsoleTokenSettings(true, "classpath:console/test-console-public.pem", ISSUER, "dsrflow",
                java.time.Duration.ofSeconds(30), java.util.List.of("RS256"), null);
        ConsoleTokens tokens = new ConsoleTokens(pem, new org.springframework.core.io.DefaultResourceLoader(), null);
        String token = sign(testKey(), claims("Pem.User@example.org", "4711", ISSUER, "dsrflow", Instant.now().plusSeconds(60)));
        assertThat(tokens.verify(token)).isEqualTo(new ConsoleTokens.ConsoleUser("4711", "pem.user@example.org"));
        ConsoleTokenSettings noHmac = new ConsoleTokenSettings(true, "classpath:console/test-console-public.pem", ISSUER, "dsrflow",
                java.time.Duration.ofSeconds(30), java.util.List.of("HS256"), null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConsoleTokens(noHmac, new org.springframework.core.io.DefaultResourceLoader(), null))
                .hasMessageContaining("only RSA and EC");
        ConsoleTokenSettings noIssuer = new ConsoleTokenSettings(true, "classpath:console/test-console-public.pem", " ", "dsrflow",
                null, null, null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConsoleTokens(noIssuer, new org.springframework.core.io.DefaultResourceLoader(), null))
                .hasMessageContaining("has no issuer");
    }

    private Http.Reply submit(String email, String token) throws Exception {
        return new Http(port).post("/api/requests",
                ("{\"type\":\"ACCESS\",\"email\":\"" + email + "\",\"language\":\"en\"}").getBytes(StandardCharsets.UTF_8),
                "Authorization", "Bearer " + token);
    }

    private static JWTClaimsSet claims(String email, String subject, String issuer, String audience, Instant expires) {
        return new JWTClaimsSet.Builder().subject(subject).claim("email", email).issuer(issuer).audience(audience)
                .issueTime(Date.from(Instant.now().minusSeconds(5))).expirationTime(Date.from(expires)).build();
    }

    private static String sign(RSAPrivateKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID("test-console-1").build(),
                claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String hmac(JWTClaimsSet claims) throws Exception {
        byte[] secret = new ClassPathResource("console/test-jwks.json").getContentAsByteArray();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new MACSigner(java.util.Arrays.copyOf(secret, 64)));
        return jwt.serialize();
    }

    private static RSAPrivateKey testKey() throws Exception {
        String pem = new ClassPathResource("console/test-console-key.pem").getContentAsString(StandardCharsets.UTF_8)
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }
}
