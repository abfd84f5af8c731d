package org.dsrflow.web;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import org.dsrflow.ApiRefusal;
import org.dsrflow.verification.Secrets;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Limits on the public endpoints (request form, verification, new code), per client IP and per
 * data subject, counted in PostgreSQL so every instance sees the same counts. A request over a
 * limit is refused with 429, the limit it hit, and when to try again; it is still counted, so
 * hammering does not help.
 */
@Component("rateLimits")
public class RateLimits {


    /** Refused for too many requests; {@code retryAfterSeconds} goes into the Retry-After header. */
    public static final class Exceeded extends ApiRefusal {
        private final long retryAfterSeconds;

        Exceeded(String message, long retryAfterSeconds) {
            super(429, "rate_limited", message, false);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    private final JdbcTemplate jdbc;
    private final RateLimitSettings settings;
    private final Secrets secrets;
    private final TransactionTemplate ownTransaction;

    RateLimits(JdbcTemplate jdbc, RateLimitSettings settings, Secrets secrets, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.settings = settings;
        this.secrets = secrets;
    }

    /**
     * Counts one hit of {@code endpoint} from {@code clientIp} about {@code subject} (an address or
     * a case reference; may be null when the request names none) and refuses it if either count is over.
     */
    public void hit(String endpoint, String clientIp, String subject) {
        RateLimitSettings.Limit limit = settings.rateLimits().get(endpoint);
        if (limit == null) {
            return;
        }
        Instant now = Instant.now();
        long windowSeconds = Math.max(1, limit.window().toSeconds());
        Instant start = Instant.ofEpochSecond(now.getEpochSecond() / windowSeconds * windowSeconds);
        long retryAfter = Math.max(1, start.plusSeconds(windowSeconds).getEpochSecond() - now.getEpochSecond());
        boolean overIp = clientIp != null && limit.perIp() > 0 && count(endpoint + ":ip:" + clientIp, start) > limit.perIp();
        boolean overSubject = subject != null && limit.perSubject() > 0
                && count(endpoint + ":subject:" + secrets.hash("rate", subject.trim().toLowerCase(Locale.ROOT)).substring(0, 32), start)
                > limit.perSubject();
        if (overIp || overSubject) {
            throw new Exceeded("Too many requests " + (overSubject ? "about this person or request" : "from your network")
                    + "; please try again in " + minutes(retryAfter) + ".", retryAfter);
        }
    }

    /** Counts one hit per data subject only (for requests whose subject is known once they are parsed). */
    public void hitSubject(String endpoint, String subject) {
        hit(endpoint, null, subject);
    }

    /** Drops windows that ended more than a day ago. */
    public int purge() {
        return jdbc.update("delete from rate_counter where window_start < ?", Timestamp.from(Instant.now().minus(Duration.ofDays(1))));
    }

    /** In a transaction of its own: a hit counts even when the request it belongs to is refused or fails. */
    private int count(String bucket, Instant windowStart) {
        Integer hits = ownTransaction.execute(status -> jdbc.queryForObject("insert into rate_counter (bucket, window_start, hits) values (?, ?, 1) "
                + "on conflict (bucket, window_start) do update set hits = rate_counter.hits + 1 returning hits",
                Integer.class, bucket.length() > 120 ? bucket.substring(0, 120) : bucket, Timestamp.from(windowStart)));
        return hits == null ? 0 : hits;
    }

    private static String minutes(long seconds) {
        return seconds < 90 ? seconds + " seconds" : (seconds + 59) / 60 + " minutes";
    }
}
