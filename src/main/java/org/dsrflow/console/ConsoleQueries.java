package org.dsrflow.console;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.dsrflow.DsrflowSettings;
import org.dsrflow.ApiRefusal;
import org.dsrflow.cases.CaseNotFoundException;
import org.dsrflow.cases.CaseState;
import org.dsrflow.cases.CaseType;
import org.dsrflow.cases.Channel;
import org.dsrflow.connector.ConnectorHealth;
import org.dsrflow.fulfilment.FulfilmentService;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the console shows, read straight from the case store: the overview's figures, the filtered
 * case list, and one case with its timeline (the audit log), its systems' tasks and its mails.
 * Days are counted in the display zone ({@code dsrflow.display-zone}).
 */
@Component
public class ConsoleQueries {
    static final String CLOSED_STATES = "('REPLIED','REJECTED','DUPLICATE','WITHDRAWN')";
    private static final int WEEKS_OF_VOLUME = 12;

    private final JdbcTemplate jdbc;
    private final ZoneId zone;
    private final ConnectorHealth health;
    private final FulfilmentService fulfilment;
    private final ObjectMapper json;

    ConsoleQueries(JdbcTemplate jdbc, DsrflowSettings settings, ConnectorHealth health, FulfilmentService fulfilment, ObjectMapper json) {
        this.jdbc = jdbc;
        this.zone = settings.displayZone() == null ? ZoneId.of("UTC") : settings.displayZone();
        this.health = health;
        this.fulfilment = fulfilment;
        this.json = json;
    }

    /** The zone the console counts days in. */
    public ZoneId zone() {
        return zone;
    }

    /** The manager's overview at this moment. */
    public Map<String, Object> overview(Instant now) {
        Timestamp at = Timestamp.from(now);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("zone", zone.getId());
        out.put("open", count("select count(*) from dsr_case where state not in " + CLOSED_STATES));
        out.put("dueWithin3Days", count("select count(*) from dsr_case where state not in " + CLOSED_STATES
                + " and due_at >= ? and due_at < ?", at, Timestamp.from(now.plus(Duration.ofDays(3)))));
        out.put("overdue", count("select count(*) from dsr_case where state not in " + CLOSED_STATES + " and due_at < ?", at));
        ZonedDateTime monthStart = now.atZone(zone).toLocalDate().withDayOfMonth(1).atStartOfDay(zone);
        Timestamp from = Timestamp.from(monthStart.toInstant());
        long answered = count("select count(*) from dsr_case where state = 'REPLIED' and closed_at >= ?", from);
        long inTime = count("select count(*) from dsr_case where state = 'REPLIED' and closed_at >= ? and closed_at <= due_at", from);
        out.put("closedThisMonth", answered);
        out.put("closedOnTimeThisMonth", inTime);
        out.put("onTimeRatioThisMonth", answered == 0 ? null : (double) inTime / answered);
        Double median = jdbc.queryForObject("select percentile_cont(0.5) within group (order by extract(epoch from closed_at - received_at)) "
                + "from dsr_case where state = 'REPLIED' and closed_at >= ?", Double.class, from);
        out.put("medianDaysToClose", median == null ? null : Math.round(median / 8640.0) / 10.0);
        out.put("volume", volume(now));
        out.put("systemsWithFailures", failingSystems());
        return out;
    }

    /** Requests received per week over the last twelve weeks, by channel and by type. */
    private Map<String, Object> volume(Instant now) {
        LocalDate thisWeek = now.atZone(zone).toLocalDate().with(TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY));
        LocalDate first = thisWeek.minusWeeks(WEEKS_OF_VOLUME - 1);
        List<String> weeks = new ArrayList<>();
        for (int i = 0; i < WEEKS_OF_VOLUME; i++) {
            weeks.add(first.plusWeeks(i).toString());
        }
        Map<String, Map<String, long[]>> by = new LinkedHashMap<>();
        by.put("channel", new LinkedHashMap<>());
        by.put("type", new LinkedHashMap<>());
        for (Channel c : Channel.values()) {
            by.get("channel").put(c.name(), new long[WEEKS_OF_VOLUME]);
        }
        for (CaseType t : CaseType.values()) {
            by.get("type").put(t.name(), new long[WEEKS_OF_VOLUME]);
        }
        jdbc.query("select channel, type, received_at from dsr_case where received_at >= ?", rs -> {
            LocalDate day = rs.getTimestamp("received_at").toInstant().atZone(zone).toLocalDate();
            int week = (int) ChronoUnit.WEEKS.between(first, day.with(TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY)));
            if (week >= 0 && week < WEEKS_OF_VOLUME) {
                by.get("channel").computeIfAbsent(rs.getString("channel"), k -> new long[WEEKS_OF_VOLUME])[week]++;
                by.get("type").computeIfAbsent(rs.getString("type"), k -> new long[WEEKS_OF_VOLUME])[week]++;
            }
        }, Timestamp.from(first.atStartOfDay(zone).toInstant()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("weeks", weeks);
        by.forEach((k, series) -> {
            Map<String, List<Long>> s = new LinkedHashMap<>();
            series.forEach((name, counts) -> s.put(name, java.util.Arrays.stream(counts).boxed().toList()));
            out.put(k, s);
        });
        return out;
    }

    /** Systems that are down at the last check or failed a task in the last day, with the last error. */
    private List<Map<String, Object>> failingSystems() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> system : health.overview()) {
            String name = (String) system.get("system");
            Object status = ((Map<?, ?>) system.get("health")).get("status");
            long failed = count("select count(*) from connector_task where system = ? and state = 'FAILED'", name);
            if ("DOWN".equals(status) || failed > 0) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("system", name);
                row.put("title", system.get("title"));
                row.put("health", status);
                row.put("failedTasks", failed);
                row.put("lastError", system.get("lastError"));
                out.add(row);
            }
        }
        return out;
    }

    /** Filters of the case list; a null leaves that filter out. */
    public record CaseFilter(CaseState state, Channel channel, CaseType type, String system, String due, String reference,
                             boolean openOnly, int limit, int offset) {
    }

    /** The case list, most urgent first: overdue, then by due date, then unverified by receipt. */
    public Map<String, Object> cases(CaseFilter f, Instant now) {
        StringBuilder where = new StringBuilder(" where 1=1");
        List<Object> args = new ArrayList<>();
        if (f.state() != null) {
            where.append(" and c.state = ?");
            args.add(f.state().name());
        } else if (f.openOnly()) {
            where.append(" and c.state not in ").append(CLOSED_STATES);
        }
        if (f.channel() != null) {
            where.append(" and c.channel = ?");
            args.add(f.channel().name());
        }
        if (f.type() != null) {
            where.append(" and c.type = ?");
            args.add(f.type().name());
        }
        if (f.system() != null) {
            where.append(" and exists (select 1 from connector_task t where t.case_id = c.id and t.system = ?)");
            args.add(f.system());
        }
        if (f.reference() != null) {
            where.append(" and c.id like ?");
            args.add(f.reference() + "%");
        }
        if (f.due() != null) {
            Timestamp at = Timestamp.from(now);
            switch (f.due()) {
                case "overdue" -> {
                    where.append(" and c.due_at < ?");
                    args.add(at);
                }
                case "3", "7", "15" -> {
                    where.append(" and c.due_at >= ? and c.due_at < ?");
                    args.add(at);
                    args.add(Timestamp.from(now.plus(Duration.ofDays(Integer.parseInt(f.due())))));
                }
                case "none" -> where.append(" and c.due_at is null");
                default -> throw new ApiRefusal(400, "validation_failed", "due: overdue, 3, 7, 15 or none.");
            }
        }
        long total = count("select count(*) from dsr_case c" + where, args.toArray());
        List<Object> page = new ArrayList<>(args);
        page.add(f.limit());
        page.add(f.offset());
        List<Map<String, Object>> rows = jdbc.query("select c.id, c.type, c.channel, c.state, c.language, c.received_at, c.due_at, "
                + "c.closed_at, c.policy, (select string_agg(t.system, ',' order by t.system) from connector_task t "
                + "where t.case_id = c.id and t.state = 'FAILED') failed from dsr_case c" + where
                + " order by c.due_at asc nulls last, c.received_at asc limit ? offset ?", (rs, i) -> listRow(rs, now), page.toArray());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", total);
        out.put("cases", rows);
        return out;
    }

    private Map<String, Object> listRow(ResultSet rs, Instant now) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("reference", rs.getString("id"));
        row.put("type", rs.getString("type"));
        row.put("channel", rs.getString("channel"));
        row.put("state", rs.getString("state"));
        row.put("language", rs.getString("language"));
        row.put("receivedAt", instant(rs.getTimestamp("received_at")));
        Instant due = instant(rs.getTimestamp("due_at"));
        row.put("dueAt", due);
        row.put("policy", rs.getString("policy"));
        CaseState state = CaseState.valueOf(rs.getString("state"));
        row.put("daysLeft", state.isClosed() ? null : daysLeft(due, now));
        String failed = rs.getString("failed");
        row.put("failedSystems", failed == null ? List.of() : List.of(failed.split(",")));
        return row;
    }

    /** Whole days left until the due moment (2.9 days is 2); negative once overdue (an hour late is -1); null without a due date. */
    static Long daysLeft(Instant due, Instant now) {
        return due == null ? null : Math.floorDiv(Duration.between(now, due).getSeconds(), 86_400L);
    }

    /** One case for its page: the facts, the timeline, the systems' tasks, the mails, what may be done now. */
    public Map<String, Object> caseDetail(String reference, Instant now) {
        List<Map<String, Object>> found = jdbc.query("select id, type, channel, state, language, received_at, verified_at, due_at, "
                + "closed_at, policy, region, account_system, source_system, source_ticket_id, subject_email, requester_email, agent_email "
                + "from dsr_case where id = ?", (rs, i) -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("reference", rs.getString("id"));
            c.put("type", rs.getString("type"));
            c.put("channel", rs.getString("channel"));
            c.put("state", rs.getString("state"));
            c.put("language", rs.getString("language"));
            c.put("receivedAt", instant(rs.getTimestamp("received_at")));
            c.put("verifiedAt", instant(rs.getTimestamp("verified_at")));
            Instant due = instant(rs.getTimestamp("due_at"));
            c.put("dueAt", due);
            c.put("closedAt", instant(rs.getTimestamp("closed_at")));
            c.put("policy", rs.getString("policy"));
            c.put("region", rs.getString("region"));
            c.put("accountSystem", rs.getString("account_system"));
            c.put("ticket", rs.getString("source_ticket_id") == null ? null : rs.getString("source_system") + " " + rs.getString("source_ticket_id"));
            c.put("subject", rs.getString("subject_email"));
            c.put("requester", rs.getString("requester_email"));
            c.put("agent", rs.getString("agent_email"));
            c.put("daysLeft", CaseState.valueOf(rs.getString("state")).isClosed() ? null : daysLeft(due, now));
            return c;
        }, reference);
        if (found.isEmpty()) {
            throw new CaseNotFoundException(reference);
        }
        Map<String, Object> c = found.get(0);
        c.put("timeline", jdbc.query("select seq, at, actor, action, detail from audit_log where case_id = ? order by seq", (rs, i) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("seq", rs.getLong("seq"));
            e.put("at", instant(rs.getTimestamp("at")));
            e.put("actor", rs.getString("actor"));
            e.put("action", rs.getString("action"));
            try {
                e.put("detail", json.readTree(rs.getString("detail")));
            } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                e.put("detail", null);
            }
            return e;
        }, reference));
        c.put("tasks", fulfilment.taskReport(reference));
        c.put("manualTasks", jdbc.query("select system, action, sent_count, last_sent_at, answered_at, answered_by from manual_task "
                + "where case_id = ? order by system", (rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("system", rs.getString("system"));
            m.put("action", rs.getString("action"));
            m.put("sentCount", rs.getInt("sent_count"));
            m.put("lastSentAt", instant(rs.getTimestamp("last_sent_at")));
            m.put("answeredAt", instant(rs.getTimestamp("answered_at")));
            m.put("answeredBy", rs.getString("answered_by"));
            return m;
        }, reference));
        c.put("mails", mails(reference));
        c.put("extensions", jdbc.queryForList("select amount, unit, reason, actor, at from deadline_extension where case_id = ? "
                + "order by id", reference));
        return c;
    }

    /** The mails of a case as the outbox holds them: to whom, the subject, whether and when sent. No bodies. */
    List<Map<String, Object>> mails(String reference) {
        return jdbc.query("select id, payload, created_at, sent_at, attempts, last_error from outbox where case_id = ? and kind = 'MAIL' "
                + "order by id", (rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", rs.getLong("id"));
            try {
                var mail = json.readTree(rs.getString("payload"));
                m.put("to", mail.path("to").asText());
                m.put("subject", mail.path("subject").asText());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                m.put("subject", "(unreadable)");
            }
            m.put("queuedAt", instant(rs.getTimestamp("created_at")));
            m.put("sentAt", instant(rs.getTimestamp("sent_at")));
            m.put("attempts", rs.getInt("attempts"));
            m.put("lastError", rs.getString("last_error"));
            return m;
        }, reference);
    }

    private long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
