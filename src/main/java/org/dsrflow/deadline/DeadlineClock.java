package org.dsrflow.deadline;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Computes when a reply is due under a policy. Pure: everything it needs about the case comes in
 * as {@link Facts}. A deadline falls at the end of its day (23:59:59) in the configured zone.
 *
 * <p>Pauses are counted by the dates they span: waiting from Monday to Wednesday moves the
 * deadline by two days (two working days under a working-day policy, if both are working days);
 * waiting within one day moves it by none.
 */
public final class DeadlineClock {
    /** A stretch of time spent waiting on the requester; {@code to} is null while still waiting. */
    public record Waiting(Instant from, Instant to) {
    }

    /** An extension granted on a case. */
    public record Extension(int amount, DayCount unit) {
    }

    /** What the clock needs to know about a case. */
    public record Facts(Instant receivedAt, Instant verifiedAt, List<Waiting> waiting, List<Extension> extensions) {
        public Facts {
            waiting = waiting == null ? List.of() : List.copyOf(waiting);
            extensions = extensions == null ? List.of() : List.copyOf(extensions);
        }
    }

    private final ZoneId zone;
    private final Map<String, WorkingCalendar> calendars;
    private final IntConsumer uncoveredYear;

    /**
     * @param uncoveredYear told of each year the count runs into that a calendar does not list
     *                      (only weekends are days off there), so an out-of-date file is noticed
     */
    public DeadlineClock(ZoneId zone, Map<String, WorkingCalendar> calendars, IntConsumer uncoveredYear) {
        this.zone = zone;
        this.calendars = Map.copyOf(calendars);
        this.uncoveredYear = uncoveredYear;
    }

    public ZoneId zone() {
        return zone;
    }

    /** When the reply is due, or empty while the clock has not started (a policy counting from verification). */
    public Optional<Instant> due(DeadlinePolicy policy, Facts facts, Instant now) {
        Instant start = policy.starts() == ClockStart.RECEIPT ? facts.receivedAt() : facts.verifiedAt();
        if (start == null) {
            return Optional.empty();
        }
        // Extensions in the policy's own unit lengthen the period itself: one month plus two is three
        // months from receipt (31 January → 30 April), not two months after 28 February.
        int length = policy.length();
        for (Extension e : facts.extensions()) {
            if (e.unit() == policy.unit()) {
                length += e.amount();
            }
        }
        LocalDate due = add(date(start), length, policy.unit(), policy);
        if (policy.pausesWhileWaiting()) {
            for (Waiting w : facts.waiting()) {
                Instant from = w.from().isBefore(start) ? start : w.from();
                Instant to = w.to() == null ? now : w.to();
                if (!to.isAfter(from)) {
                    continue;
                }
                if (policy.unit() == DayCount.WORKING_DAYS) {
                    due = add(due, workingDaysAfter(date(from), date(to), policy), DayCount.WORKING_DAYS, policy);
                } else {
                    due = due.plusDays(ChronoUnit.DAYS.between(date(from), date(to)));
                }
            }
        }
        for (Extension e : facts.extensions()) {
            if (e.unit() != policy.unit()) {
                due = add(due, e.amount(), e.unit(), policy);
            }
        }
        return Optional.of(due.atTime(LocalTime.of(23, 59, 59)).atZone(zone).toInstant());
    }

    /**
     * Refuses an extension the policy does not allow: a policy without extensions, another unit
     * than the policy's, or more in total than its maximum.
     */
    public static void checkExtension(DeadlinePolicy policy, List<Extension> granted, Extension asked) {
        if (!policy.extendable()) {
            throw new IllegalArgumentException("The " + policy.name() + " policy does not allow extensions.");
        }
        if (asked.amount() <= 0) {
            throw new IllegalArgumentException("An extension must be at least one " + unitName(policy.extensionUnit()) + ".");
        }
        if (asked.unit() != policy.extensionUnit()) {
            throw new IllegalArgumentException("The " + policy.name() + " policy extends in " + unitName(policy.extensionUnit()) + ".");
        }
        int total = asked.amount();
        for (Extension e : granted) {
            total += e.amount();
        }
        if (total > policy.maxExtension()) {
            throw new IllegalArgumentException("The " + policy.name() + " policy allows at most " + policy.maxExtension() + " "
                    + unitName(policy.extensionUnit()) + " of extension in total; " + (total - asked.amount()) + " already granted.");
        }
    }

    static String unitName(DayCount unit) {
        return switch (unit) {
            case CALENDAR_DAYS -> "days";
            case WORKING_DAYS -> "working days";
            case MONTHS -> "months";
        };
    }

    private LocalDate date(Instant instant) {
        return instant.atZone(zone).toLocalDate();
    }

    private LocalDate add(LocalDate from, int amount, DayCount unit, DeadlinePolicy policy) {
        return switch (unit) {
            case CALENDAR_DAYS -> from.plusDays(amount);
            case MONTHS -> from.plusMonths(amount);
            case WORKING_DAYS -> {
                WorkingCalendar calendar = calendar(policy);
                LocalDate day = from;
                int counted = 0;
                while (counted < amount) {
                    day = day.plusDays(1);
                    noteYear(calendar, day);
                    if (calendar.isWorkingDay(day)) {
                        counted++;
                    }
                }
                yield day;
            }
        };
    }

    /** Working days in (from, to]: the days a pause took out of the count. */
    private int workingDaysAfter(LocalDate from, LocalDate to, DeadlinePolicy policy) {
        WorkingCalendar calendar = calendar(policy);
        int n = 0;
        for (LocalDate d = from.plusDays(1); !d.isAfter(to); d = d.plusDays(1)) {
            noteYear(calendar, d);
            if (calendar.isWorkingDay(d)) {
                n++;
            }
        }
        return n;
    }

    private WorkingCalendar calendar(DeadlinePolicy policy) {
        WorkingCalendar calendar = calendars.get(policy.calendar());
        if (calendar == null) {
            throw new IllegalStateException("deadline policy " + policy.name() + " names the calendar " + policy.calendar()
                    + ", which is not loaded");
        }
        return calendar;
    }

    private void noteYear(WorkingCalendar calendar, LocalDate day) {
        if (!calendar.covers(day.getYear())) {
            uncoveredYear.accept(day.getYear());
        }
    }
}
