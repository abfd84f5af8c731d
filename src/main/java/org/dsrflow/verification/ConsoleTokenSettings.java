package org.dsrflow.verification;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code dsrflow.console-tokens.*}: whether console tokens are accepted, the JWKS file with the
 * console's public keys, the issuer and audience they must name, the clock skew allowed, the
 * signature algorithms accepted (RSA and EC only), and how old ({@code iat}) a token may be.
 */
@ConfigurationProperties("dsrflow.console-tokens")
public record ConsoleTokenSettings(boolean enabled, String jwks, String issuer, String audience, Duration leeway,
                                   List<String> algorithms, Duration maxAge) {
    public ConsoleTokenSettings {
        leeway = leeway == null ? Duration.ofMinutes(1) : leeway;
        maxAge = maxAge == null ? Duration.ofMinutes(10) : maxAge;
        algorithms = algorithms == null ? List.of("RS256", "ES256") : List.copyOf(algorithms);
    }
}
