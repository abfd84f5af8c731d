package org.dsrflow.verification;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.dsrflow.ApiRefusal;
import org.dsrflow.Printable;
import org.dsrflow.intake.NewRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

/**
 * Tokens from the provider's console: a user who is signed in there files a request with a signed
 * JWT, which proves who they are without a mailed code. Only the configured algorithms and keys
 * (a JWKS file) are accepted; the issuer, audience, expiry and the {@code sub} and {@code email}
 * claims are required. An expired, wrongly signed or foreign token is refused and nothing is stored.
 */
@Component("consoleTokens")
public class ConsoleTokens {
    private static final Logger log = LoggerFactory.getLogger(ConsoleTokens.class);

    /** Who the console says the user is. */
    public record ConsoleUser(String subject, String email) {
    }

    private final ConsoleTokenSettings settings;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final org.dsrflow.intake.AccountDirectory accounts;

    ConsoleTokens(ConsoleTokenSettings settings, ResourceLoader resources, org.dsrflow.intake.AccountDirectory accounts)
            throws IOException, java.text.ParseException {
        this.settings = settings;
        this.accounts = accounts;
        if (!settings.enabled()) {
            this.processor = null;
            log.info("Console tokens are off (dsrflow.console-tokens.enabled)");
            return;
        }
        for (String[] required : new String[][] {{"jwks", settings.jwks()}, {"issuer", settings.issuer()}, {"audience", settings.audience()}}) {
            if (required[1] == null || required[1].isBlank()) {
                throw new IllegalStateException("dsrflow.console-tokens is enabled but has no " + required[0]
                        + " (DSRFLOW_CONSOLE_" + required[0].toUpperCase(java.util.Locale.ROOT) + ")");
            }
        }
        JWKSet keys;
        boolean pem;
        try (InputStream in = resources.getResource(settings.jwks()).getInputStream()) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // a JWKS document, or a single public key in PEM
            pem = text.strip().startsWith("-----BEGIN");
            keys = pem ? new JWKSet(pemPublicKey(text)) : JWKSet.parse(text);
        }
        if (keys.getKeys().isEmpty() || keys.getKeys().stream().anyMatch(k -> k.isPrivate())) {
            throw new IllegalStateException("dsrflow.console-tokens.jwks must hold public keys only, at least one");
        }
        Set<JWSAlgorithm> algorithms = new HashSet<>();
        for (String a : settings.algorithms()) {
            JWSAlgorithm alg = JWSAlgorithm.parse(a);
            if (!JWSAlgorithm.Family.RSA.contains(alg) && !JWSAlgorithm.Family.EC.contains(alg)) {
                throw new IllegalStateException("console tokens: only RSA and EC signatures are accepted, not " + a);
            }
            algorithms.add(alg);
        }
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
        // a lone PEM key has no key id: it verifies whatever key id a token names
        JWKSet available = keys;
        com.nimbusds.jose.jwk.source.JWKSource<SecurityContext> source = pem ? (selector, context) -> available.getKeys()
                : new ImmutableJWKSet<>(keys);
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, source));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(settings.audience(),
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(), Set.of("sub", "email", "exp", "iat"));
        claims.setMaxClockSkew((int) settings.leeway().toSeconds());
        p.setJWTClaimsSetVerifier(claims);
        this.processor = p;
        log.info("Console tokens accepted from {} for {} ({} keys)", settings.issuer(), settings.audience(), keys.getKeys().size());
    }

    /** One RSA or EC public key in PEM ("BEGIN PUBLIC KEY"), read with the JDK alone. */
    static com.nimbusds.jose.jwk.JWK pemPublicKey(String pem) {
        byte[] der = java.util.Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").strip());
        java.security.spec.X509EncodedKeySpec spec = new java.security.spec.X509EncodedKeySpec(der);
        try {
            return new com.nimbusds.jose.jwk.RSAKey.Builder((java.security.interfaces.RSAPublicKey)
                    java.security.KeyFactory.getInstance("RSA").generatePublic(spec)).build();
        } catch (java.security.GeneralSecurityException notRsa) {
            try {
                java.security.interfaces.ECPublicKey ec = (java.security.interfaces.ECPublicKey)
                        java.security.KeyFactory.getInstance("EC").generatePublic(spec);
                return new com.nimbusds.jose.jwk.ECKey.Builder(com.nimbusds.jose.jwk.Curve.forECParameterSpec(ec.getParams()), ec).build();
            } catch (java.security.GeneralSecurityException | RuntimeException e) {
                throw new IllegalStateException("dsrflow.console-tokens.jwks: neither an RSA nor an EC public key in PEM", e);
            }
        }
    }

    /** Checks a token; refuses (401) anything but a valid, unexpired token of the configured issuer. */
    public ConsoleUser verify(String token) {
        if (processor == null) {
            throw new ApiRefusal(401, "invalid_console_token", "Console tokens are not accepted here.");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (java.text.ParseException | com.nimbusds.jose.proc.BadJOSEException | com.nimbusds.jose.JOSEException e) {
            throw new ApiRefusal(401, "invalid_console_token", "The console token is not valid (" + reason(e) + ").");
        } catch (RuntimeException e) {
            // the JOSE library trips over some malformed headers (an encrypted token whose "enc" is null)
            throw new ApiRefusal(401, "invalid_console_token", "The console token is not valid (malformed header).");
        }
        java.util.Date issued = claims.getIssueTime();
        if (issued == null || issued.toInstant().isBefore(java.time.Instant.now().minus(settings.maxAge()))) {
            throw new ApiRefusal(401, "invalid_console_token", "The console token is too old; sign in to the console again.");
        }
        Object email = claims.getClaim("email");
        if (!(email instanceof String address) || address.isBlank() || claims.getSubject() == null || claims.getSubject().isBlank()) {
            throw new ApiRefusal(401, "invalid_console_token", "The console token names no user.");
        }
        return new ConsoleUser(claims.getSubject(), address.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * The web route's step for a request that came with a console token: the token's user must be
     * the person the request is about; then the request needs no mailed code.
     */
    public NewRequest apply(NewRequest request, ConsoleUser user) {
        if (user == null) {
            return request;
        }
        if (!user.email().equalsIgnoreCase(request.subjectEmail())) {
            throw new ApiRefusal(403, "console_token_mismatch", "The console token belongs to another address than the request names.");
        }
        // the token must also name the account the address belongs to: an address changed in the
        // console without confirmation cannot borrow someone else's account
        org.dsrflow.intake.AccountDirectory.Match match = accounts.find(request.subjectEmail());
        if (match.outcome() == org.dsrflow.intake.AccountDirectory.Outcome.UNAVAILABLE) {
            throw new ApiRefusal(503, "try_later", "We cannot check your account right now; please try again in a few minutes.");
        }
        if (match.found().isEmpty() || !match.account().accountId().equals(user.subject())) {
            throw new ApiRefusal(403, "console_token_mismatch", "The console token does not belong to the account of this address.");
        }
        String who = "console:" + (user.subject().length() > 40 ? user.subject().substring(0, 40) : user.subject());
        return new NewRequest(request.type(), request.channel(), request.subjectEmail(), request.requesterEmail(), request.language(),
                request.agentEmail(), request.sourceSystem(), request.sourceTicketId(), request.sourceRef(), request.inboundMessageId(),
                request.inboundReferences(), who);
    }

    private static String reason(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (m.contains("xpired")) {
            return "expired";
        }
        if (m.contains("ignature") || m.contains("key")) {
            return "signature does not verify";
        }
        return Printable.clip(m, 80);
    }
}
