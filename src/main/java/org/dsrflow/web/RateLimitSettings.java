package org.dsrflow.web;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code dsrflow.rate-limits.<endpoint>}: hits allowed per window, per client IP and per data subject (0 = no limit). */
@ConfigurationProperties("dsrflow")
public record RateLimitSettings(Map<String, Limit> rateLimits) {
    public RateLimitSettings {
        rateLimits = rateLimits == null ? Map.of() : Map.copyOf(rateLimits);
    }

    public record Limit(int perIp, int perSubject, Duration window) {
    }
}
