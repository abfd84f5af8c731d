package org.dsrflow.outbox;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Mails and events are written here in the same transaction as the state change that causes
 * them, and sent afterwards by the outbox route. A crash between the two loses nothing; a crash
 * after sending but before marking sent resends the same mail with the same Message-ID.
 */
@Component("outbox")
public class Outbox {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(30);
    /** The route of the mail lane's rounds (routes/outbox.camel.yaml). */
    static final String MAIL_ROUNDS_ROUTE = "dsr-outbox-mail-rounds";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Duration sendLease;
    private final int maxMailRounds;

    /**
     * @param sendLease how long an item being sent is left to its sender before another may take it (after a crash)
     * @param maxMailRounds how many rounds of mail one poll sends at most (see {@link #anotherMailRound})
     */
    public Outbox(JdbcTemplate jdbc, ObjectMapper json, @Value("${dsrflow.outbox.send-lease:PT2M}") Duration sendLease,
                  @Value("${dsrflow.outbox.max-mail-rounds:100}") int maxMailRounds) {
        if (maxMailRounds < 1) {
            throw new IllegalArgumentException("dsrflow.outbox.max-mail-rounds must be at least 1");
        }
        this.jdbc = jdbc;
        this.json = json;
        this.sendLease = sendLease;
        this.maxMailRounds = maxMailRounds;
    }

    /**
     * The mail lane's loop condition: another round unless the last one claimed nothing (nothing is
     * due), this poll has had its {@code max-mail-rounds}, or the lane is being stopped (the route
     * that started the poll, or the rounds' own route, no longer consumes). A round sends one mail
     * per case, so a case's second mail waits only for its first, not for the next poll. Counts the
     * rounds on the exchange ({@code dsrMailRounds}); reads the last round's claim from
     * {@code dsrMailClaimed}.
     *
     * <p>Stopping is checked here rather than with the loop's {@code breakOnShutdown}: that flag,
     * once set by a route's stop, stays set when the route is started again, and the lane would
     * then never send another round.
     */
    public boolean anotherMailRound(org.apache.camel.Exchange exchange) {
        Integer claimed = exchange.getProperty("dsrMailClaimed", Integer.class);
        int rounds = exchange.getProperty("dsrMailRounds", 0, Integer.class);
        if ((claimed != null && claimed == 0) || rounds >= maxMailRounds) {
            return false;
        }
        if (!consuming(exchange, exchange.getFromRouteId()) || !consuming(exchange, MAIL_ROUNDS_ROUTE)) {
            return false;
        }
        exchange.setProperty("dsrMailRounds", rounds + 1);
        return true;
    }

    /** Whether the route still takes in work: its consumer is started (not stopping, stopped or suspended). */
    private static boolean consuming(org.apache.camel.Exchange exchange, String routeId) {
        if (routeId == null) {
            return true;
        }
        org.apache.camel.Route route = exchange.getContext().getRoute(routeId);
        return route != null && (!(route.getConsumer() instanceof org.apache.camel.StatefulService consumer) || consumer.isStarted());
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void enqueueMail(String caseId, OutgoingMail mail) {
        enqueue(caseId, OutboxItem.Kind.MAIL, mail);
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void enqueueEvent(String caseId, Map<String, ?> event) {
        enqueue(caseId, OutboxItem.Kind.EVENT, event);
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void enqueueTicketUpdate(String caseId, Map<String, ?> update) {
        enqueue(caseId, OutboxItem.Kind.TICKET_UPDATE, update);
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void enqueueTicketCallback(String caseId, Map<String, ?> update) {
        enqueue(caseId, OutboxItem.Kind.TICKET_CALLBACK, update);
    }

    private void enqueue(String caseId, OutboxItem.Kind kind, Object payload) {
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update("insert into outbox (case_id, kind, payload, created_at, next_attempt_at) values (?,?,?,?,?)",
                caseId, kind.name(), write(payload), now, now);
    }

    /**
     * Takes due items for this worker; others skip them until the lease runs out. Only the oldest
     * unsent item of each case and kind is eligible, so a case's mails — and its events — leave in
     * the order they were written even when one of them has to be retried. One statement, a
     * transaction of its own (no separate commit) when called outside one.
     */
    public List<OutboxItem> claimDue(String kinds, int limit) {
        String[] wanted = java.util.Arrays.stream(kinds.split(",")).map(String::trim).map(k -> OutboxItem.Kind.valueOf(k).name())
                .toArray(String[]::new);
        Instant now = Instant.now();
        List<OutboxItem> claimed = new java.util.ArrayList<>(jdbc.query("update outbox set next_attempt_at = ?, attempts = attempts + 1 "
                        + "where id in (select o.id from outbox o where o.sent_at is null and o.next_attempt_at <= ? "
                        + "and o.kind = any (?) "
                        + "and not exists (select 1 from outbox earlier where earlier.case_id = o.case_id and earlier.kind = o.kind "
                        + "and earlier.sent_at is null and earlier.id < o.id) "
                        + "order by o.id limit ? for update skip locked) "
                        + "returning id, case_id, kind, payload, attempts",
                ps -> {
                    ps.setTimestamp(1, Timestamp.from(now.plus(sendLease)));
                    ps.setTimestamp(2, Timestamp.from(now));
                    ps.setArray(3, ps.getConnection().createArrayOf("varchar", wanted));
                    ps.setInt(4, limit);
                }, (rs, i) -> new OutboxItem(rs.getLong("id"), rs.getString("case_id"), OutboxItem.Kind.valueOf(rs.getString("kind")),
                        rs.getString("payload"), rs.getInt("attempts"))));
        claimed.sort(java.util.Comparator.comparingLong(OutboxItem::id));
        return claimed;
    }

    /**
     * True while the batch claimed at {@code claimedAt} is within half its send lease; otherwise the
     * item is handed back (due now, its attempt not counted) for the next poll of any instance.
     */
    public boolean keepOrRelease(OutboxItem item, java.util.Date claimedAt) {
        if (Instant.now().isBefore(claimedAt.toInstant().plus(sendLease.dividedBy(2)))) {
            return true;
        }
        jdbc.update("update outbox set next_attempt_at = ?, attempts = attempts - 1 where id = ? and sent_at is null",
                Timestamp.from(Instant.now()), item.id());
        return false;
    }

    public void markSent(long id) {
        jdbc.update("update outbox set sent_at = ?, last_error = null where id = ?", Timestamp.from(Instant.now()), id);
    }

    /** A batch sent and acknowledged as a whole (case events): one statement for all of it. */
    public void markAllSent(List<OutboxItem> items) {
        Long[] ids = items.stream().map(OutboxItem::id).toArray(Long[]::new);
        jdbc.update("update outbox set sent_at = ?, last_error = null where id = any (?)", ps -> {
            ps.setTimestamp(1, Timestamp.from(Instant.now()));
            ps.setArray(2, ps.getConnection().createArrayOf("bigint", ids));
        });
    }

    /**
     * A batch whose send failed: each item is tried again later, as if sent alone. Some of the batch
     * may have reached the broker before the failure; those go out twice (case events are
     * delivered at least once — see docs/reliability.md).
     */
    public void markAllFailed(List<OutboxItem> items, Throwable error) {
        for (OutboxItem item : items) {
            markFailed(item.id(), item.attempts(), error);
        }
    }

    /** Schedules another try with exponential backoff; the error is kept for the operator. */
    public void markFailed(long id, int attempts, Throwable error) {
        long seconds = Math.min(MAX_BACKOFF.toSeconds(), (long) Math.pow(2, Math.min(attempts, 12)));
        String message = error == null ? "unknown error" : error.getClass().getSimpleName() + ": " + error.getMessage();
        log.warn("Outbox item {} failed (attempt {}), next try in {}s: {}", id, attempts, seconds, org.dsrflow.LogSafe.redact(message));
        jdbc.update("update outbox set next_attempt_at = ?, last_error = ? where id = ?",
                Timestamp.from(Instant.now().plusSeconds(seconds)), truncate(message, 2000), id);
    }

    public <T> T read(OutboxItem item, Class<T> type) {
        try {
            return json.readValue(item.payload(), type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("outbox item " + item.id() + " is not readable", e);
        }
    }

    private String write(Object payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("outbox payload is not serialisable", e);
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
