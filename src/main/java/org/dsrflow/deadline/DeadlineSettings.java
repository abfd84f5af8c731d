package org.dsrflow.deadline;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code dsrflow.deadlines.*}: the policies, the calendars they count working days on, the zone
 * whose day ends a deadline, and the rules that pick a policy for a case (first match wins).
 */
@ConfigurationProperties("dsrflow.deadlines")
public record DeadlineSettings(ZoneId zone, String calendars, String defaultPolicy, Map<String, Policy> policies, List<Rule> rules) {

    public DeadlineSettings {
        policies = policies == null ? Map.of() : Map.copyOf(policies);
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    /** One policy as configured; see {@link DeadlinePolicy}. */
    public record Policy(int length, DayCount unit, ClockStart starts, boolean pausesWhileWaiting, int maxExtension,
                         DayCount extensionUnit, String calendar) {
        DeadlinePolicy named(String name) {
            return new DeadlinePolicy(name, length, unit, starts, pausesWhileWaiting, maxExtension, extensionUnit, calendar);
        }
    }

    /** Picks {@code policy} for cases matching every field given; a field left out matches anything. */
    public record Rule(String channel, String region, String language, String policy) {
        boolean matches(String channel, String region, String language) {
            return same(this.channel, channel) && same(this.region, region) && same(this.language, language);
        }

        private static boolean same(String wanted, String actual) {
            return wanted == null || wanted.isBlank() || wanted.equalsIgnoreCase(actual);
        }
    }
}
