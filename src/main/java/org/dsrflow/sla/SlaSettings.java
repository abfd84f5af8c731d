package org.dsrflow.sla;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * When the deadline watch speaks up. Each point fires once per case and due date, when the time
 * left falls to {@code before-due} (zero: the deadline has passed), and is sent to one audience
 * (an entry of {@code recipients}: an address, a team's queue).
 */
@ConfigurationProperties("dsrflow.sla")
public record SlaSettings(Duration sweepPeriod, List<Point> points, Map<String, String> recipients) {

    public record Point(String name, Duration beforeDue, String audience) {
    }

    public SlaSettings {
        points = points == null ? List.of() : List.copyOf(points);
        recipients = recipients == null ? Map.of() : Map.copyOf(recipients);
        for (Point p : points) {
            if (p.name() == null || !p.name().matches("[a-z0-9-]{1,40}")) {
                throw new IllegalArgumentException("dsrflow.sla.points: a point needs a name of lower-case letters, digits and -, got "
                        + p.name());
            }
            if (p.beforeDue() == null || p.beforeDue().isNegative()) {
                throw new IllegalArgumentException("dsrflow.sla.points." + p.name() + ".before-due: expected a duration from 0");
            }
            if (!recipients.containsKey(p.audience())) {
                throw new IllegalArgumentException("dsrflow.sla.points." + p.name() + ".audience: expected one of " + recipients.keySet()
                        + ", got " + p.audience());
            }
        }
    }
}
