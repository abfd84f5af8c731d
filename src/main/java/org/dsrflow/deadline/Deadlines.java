package org.dsrflow.deadline;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.dsrflow.cases.CaseState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The configured deadline policies, applied to stored cases: which policy a new case answers to,
 * and when its reply is due given its history (receipt, verification, time spent waiting on the
 * requester, extensions granted). Refuses to start with a rule or default naming no policy, or a
 * policy naming no calendar.
 */
@Component
public class Deadlines {
    /** States in which the requester, not us, has the next move. */
    static final Set<String> WAITING_ON_REQUESTER = Set.of(CaseState.AWAITING_CLARIFICATION.name(), CaseState.AWAITING_VERIFICATION.name());
    private static final Logger log = LoggerFactory.getLogger(Deadlines.class);

    private final JdbcTemplate jdbc;
    private final DeadlineSettings settings;
    private final Map<String, DeadlinePolicy> policies = new LinkedHashMap<>();
    private final DeadlineClock clock;
    private final Set<Integer> warnedYears = ConcurrentHashMap.newKeySet();

    Deadlines(DeadlineSettings settings, JdbcTemplate jdbc, ResourcePatternResolver resources) throws IOException {
        this.jdbc = jdbc;
        this.settings = settings;
        Map<String, WorkingCalendar> calendars = new HashMap<>();
        for (Resource r : resources.getResources(settings.calendars())) {
            try (InputStream in = r.getInputStream()) {
                WorkingCalendar c = WorkingCalendar.read(in, r.getDescription());
                calendars.put(c.name(), c);
            }
        }
        settings.policies().forEach((name, p) -> policies.put(name, p.named(name)));
        check(settings, calendars);
        this.clock = new DeadlineClock(settings.zone(), calendars, year -> {
            if (warnedYears.add(year)) {
                log.warn("Counting working days into {}, a year the holiday calendar does not list: only weekends count as days off. "
                        + "Update the calendar file (see config/calendars/).", year);
            }
        });
        log.info("Deadline policies {}; default {}; calendars {}", policies.keySet(), settings.defaultPolicy(), calendars.keySet());
    }

    private void check(DeadlineSettings s, Map<String, WorkingCalendar> calendars) {
        if (!policies.containsKey(s.defaultPolicy())) {
            throw new IllegalStateException("dsrflow.deadlines.default-policy names " + s.defaultPolicy() + ", which is not among "
                    + policies.keySet());
        }
        for (DeadlineSettings.Rule rule : s.rules()) {
            if (!policies.containsKey(rule.policy())) {
                throw new IllegalStateException("a dsrflow.deadlines rule names the policy " + rule.policy() + ", which is not among "
                        + policies.keySet());
            }
        }
        for (DeadlinePolicy p : policies.values()) {
            if (p.calendar() != null && !calendars.containsKey(p.calendar())) {
                throw new IllegalStateException("deadline policy " + p.name() + " counts on the calendar " + p.calendar()
                        + ", but " + s.calendars() + " holds only " + calendars.keySet());
            }
        }
    }

    /** The policy for a new case: the first rule that matches, else the default. */
    public String choose(String channel, String region, String language) {
        for (DeadlineSettings.Rule rule : settings.rules()) {
            if (rule.matches(channel, region, language)) {
                return rule.policy();
            }
        }
        return settings.defaultPolicy();
    }

    /** A case's policy; one removed from the configuration since falls back to the default, loudly. */
    public DeadlinePolicy policy(String name) {
        DeadlinePolicy p = name == null ? null : policies.get(name);
        if (p == null) {
            log.warn("Deadline policy {} is no longer configured; using {}", name, settings.defaultPolicy());
            return policies.get(settings.defaultPolicy());
        }
        return p;
    }

    /**
     * Whether a move from one state to another can change when the reply is due. The due date
     * follows from the receipt, the verification, the time spent waiting on the requester and the
     * extensions granted: a move changes it only by starting the clock (into VERIFIED) or by
     * starting or ending a wait on the requester.
     */
    public static boolean clockMayMove(String from, String to) {
        return CaseState.VERIFIED.name().equals(to) || WAITING_ON_REQUESTER.contains(from) || WAITING_ON_REQUESTER.contains(to);
    }

    /** When the stored case's reply is due, from its history as it is now; empty before its clock starts. */
    public Optional<Instant> dueOf(String caseId) {
        // one round trip: the case, its moves and its extensions (it runs on every move that may change the date)
        Stored stored = jdbc.queryForObject("select d.received_at, d.verified_at, d.policy, "
                + "array(select t.to_state from case_transition t where t.case_id = d.id order by t.id) as moved_to, "
                + "array(select t.at from case_transition t where t.case_id = d.id order by t.id) as moved_at, "
                + "array(select e.amount from deadline_extension e where e.case_id = d.id order by e.id) as amounts, "
                + "array(select e.unit from deadline_extension e where e.case_id = d.id order by e.id) as units "
                + "from dsr_case d where d.id = ?", (rs, i) -> {
                    Object[] amounts = (Object[]) rs.getArray("amounts").getArray();
                    Object[] units = (Object[]) rs.getArray("units").getArray();
                    List<DeadlineClock.Extension> extensions = new ArrayList<>(amounts.length);
                    for (int e = 0; e < amounts.length; e++) {
                        extensions.add(new DeadlineClock.Extension(((Number) amounts[e]).intValue(), DayCount.valueOf((String) units[e])));
                    }
                    return new Stored(rs.getString("policy"), new DeadlineClock.Facts(instant(rs.getTimestamp("received_at")),
                            instant(rs.getTimestamp("verified_at")),
                            waitingOf((Object[]) rs.getArray("moved_to").getArray(), (Object[]) rs.getArray("moved_at").getArray()),
                            extensions));
                }, caseId);
        return clock.due(policy(stored.policy()), stored.facts(), Instant.now());
    }

    /** A case's policy and what its due date follows from, as stored. */
    private record Stored(String policy, DeadlineClock.Facts facts) {
    }

    /** The extensions granted on a case, oldest first. */
    public List<DeadlineClock.Extension> extensionsOf(String caseId) {
        return jdbc.query("select amount, unit from deadline_extension where case_id = ? order by id",
                (rs, i) -> new DeadlineClock.Extension(rs.getInt("amount"), DayCount.valueOf(rs.getString("unit"))), caseId);
    }

    public java.time.ZoneId zone() {
        return clock.zone();
    }

    /** The waits on the requester in a case's moves (their target states and times, oldest first). */
    private static List<DeadlineClock.Waiting> waitingOf(Object[] movedTo, Object[] movedAt) {
        List<DeadlineClock.Waiting> waiting = new ArrayList<>();
        Instant since = null;
        for (int m = 0; m < movedTo.length; m++) {
            Instant at = instant(movedAt[m]);
            boolean waits = WAITING_ON_REQUESTER.contains((String) movedTo[m]);
            if (since != null && !waits) {
                waiting.add(new DeadlineClock.Waiting(since, at));
                since = null;
            } else if (since == null && waits) {
                since = at;
            }
        }
        if (since != null) {
            waiting.add(new DeadlineClock.Waiting(since, null));
        }
        return waiting;
    }

    private static Instant instant(Object value) {
        return value == null ? null : ((Timestamp) value).toInstant();
    }
}
