package org.dsrflow.console;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dsrflow.DsrflowSettings;
import org.dsrflow.cases.CaseType;
import org.dsrflow.cases.Channel;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The figures a regulator asks for, over a period of whole days in the display zone (both ends
 * included): per type and channel, requests received, fulfilled (answered), denied (rejected,
 * including requests never verified), fulfilled within their deadline, and the median and mean
 * days from receipt to the answer of those fulfilled in the period. Duplicates of an open request
 * are not counted as received: they joined the first one. Rows for every type and channel, zeros
 * included, then a total per type and a grand total.
 */
@Component
public class RegulatorReport {
    static final String HEADER = "period_start,period_end,type,channel,received,fulfilled,denied,fulfilled_in_time,"
            + "median_days_to_respond,mean_days_to_respond";

    private final JdbcTemplate jdbc;
    private final ZoneId zone;

    RegulatorReport(JdbcTemplate jdbc, DsrflowSettings settings) {
        this.jdbc = jdbc;
        this.zone = settings.displayZone() == null ? ZoneId.of("UTC") : settings.displayZone();
    }

    public String csv(LocalDate from, LocalDate to) {
        Timestamp start = Timestamp.from(from.atStartOfDay(zone).toInstant());
        Timestamp end = Timestamp.from(to.plusDays(1).atStartOfDay(zone).toInstant());
        String answered = "state = 'REPLIED' and closed_at >= ? and closed_at < ?";
        Map<String, List<Object>> found = new LinkedHashMap<>();
        jdbc.query("select coalesce(type, 'ALL') t, coalesce(channel, 'ALL') ch, grouping(type) gt, grouping(channel) gc, "
                + "count(*) filter (where state <> 'DUPLICATE' and received_at >= ? and received_at < ?) received, "
                + "count(*) filter (where " + answered + ") fulfilled, "
                + "count(*) filter (where state = 'REJECTED' and closed_at >= ? and closed_at < ?) denied, "
                + "count(*) filter (where " + answered + " and closed_at <= due_at) in_time, "
                + "percentile_cont(0.5) within group (order by extract(epoch from closed_at - received_at)) filter (where " + answered + ") median, "
                + "avg(extract(epoch from closed_at - received_at)) filter (where " + answered + ") mean "
                + "from dsr_case where (received_at >= ? and received_at < ?) or (closed_at >= ? and closed_at < ?) "
                + "group by grouping sets ((type, channel), (type), ())", rs -> {
            String key = (rs.getInt("gt") == 1 ? "ALL" : rs.getString("t")) + "/" + (rs.getInt("gc") == 1 ? "ALL" : rs.getString("ch"));
            found.put(key, java.util.Arrays.asList(rs.getLong("received"), rs.getLong("fulfilled"), rs.getLong("denied"), rs.getLong("in_time"),
                    days(rs.getObject("median")), days(rs.getObject("mean"))));
        }, start, end, start, end, start, end, start, end, start, end, start, end, start, end, start, end);
        List<String> types = new ArrayList<>();
        for (CaseType t : CaseType.values()) {
            types.add(t.name());
        }
        StringBuilder out = new StringBuilder(HEADER).append("\r\n");
        for (String type : types) {
            for (Channel ch : Channel.values()) {
                row(out, from, to, type, ch.name(), found.get(type + "/" + ch.name()));
            }
            row(out, from, to, type, "ALL", found.get(type + "/ALL"));
        }
        row(out, from, to, "ALL", "ALL", found.get("ALL/ALL"));
        return out.toString();
    }

    private static void row(StringBuilder out, LocalDate from, LocalDate to, String type, String channel, List<Object> v) {
        out.append(from).append(',').append(to).append(',').append(type).append(',').append(channel);
        if (v == null) {
            out.append(",0,0,0,0,,\r\n");
            return;
        }
        for (Object x : v) {
            out.append(',').append(x == null ? "" : x);
        }
        out.append("\r\n");
    }

    private static String days(Object seconds) {
        if (seconds == null) {
            return null;
        }
        double d = ((Number) seconds).doubleValue() / 86_400.0;
        return String.format(java.util.Locale.ROOT, "%.1f", d);
    }
}
