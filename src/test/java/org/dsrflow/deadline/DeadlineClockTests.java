package org.dsrflow.deadline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Dated cases for every shipped policy, worked out by hand against the calendar file
 * (config/calendars/cn.yaml). Times are Beijing time; a deadline ends at 23:59:59 of its day.
 */
class DeadlineClockTests {
    static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    static final Map<String, DeadlinePolicy> POLICIES = Map.of(
            "cn-15", new DeadlinePolicy("cn-15", 15, DayCount.CALENDAR_DAYS, ClockStart.VERIFICATION, false, 0, null, null),
            "cn-15-working", new DeadlinePolicy("cn-15-working", 15, DayCount.WORKING_DAYS, ClockStart.VERIFICATION, false, 0, null, "cn"),
            "gdpr", new DeadlinePolicy("gdpr", 1, DayCount.MONTHS, ClockStart.RECEIPT, true, 2, DayCount.MONTHS, null),
            "ccpa", new DeadlinePolicy("ccpa", 45, DayCount.CALENDAR_DAYS, ClockStart.RECEIPT, false, 45, DayCount.CALENDAR_DAYS, null),
            // not shipped: a working-day policy that pauses, to test pauses counted in working days
            "wd-10-paused", new DeadlinePolicy("wd-10-paused", 10, DayCount.WORKING_DAYS, ClockStart.RECEIPT, true, 5, DayCount.WORKING_DAYS, "cn"));

    static WorkingCalendar cn;
    final Set<Integer> uncovered = new TreeSet<>();

    @BeforeAll
    static void readCalendar() throws Exception {
        try (InputStream in = new FileInputStream("config/calendars/cn.yaml")) {
            cn = WorkingCalendar.read(in, "config/calendars/cn.yaml");
        }
    }

    DeadlineClock clock() {
        return new DeadlineClock(BEIJING, Map.of("cn", cn), uncovered::add);
    }

    @ParameterizedTest(name = "{0}: received {1}, verified {2}, waiting {3}, extended {4} → {5}")
    @CsvSource(delimiter = '|', textBlock = """
            # cn-15: fifteen calendar days after verification
            cn-15         | 2026-11-22T09:00 | 2026-11-22T10:00 | -                                    | -          | 2026-12-07
            cn-15         | 2026-02-18T09:00 | 2026-02-20T09:00 | -                                    | -          | 2026-03-07
            cn-15         | 2024-02-18T09:00 | 2024-02-20T09:00 | -                                    | -          | 2024-03-06
            cn-15         | 2026-12-24T09:00 | 2026-12-25T09:00 | -                                    | -          | 2027-01-09
            cn-15         | 2026-01-01T09:00 | 2026-01-10T09:00 | -                                    | -          | 2026-01-25
            cn-15         | 2026-03-01T08:00 | 2026-03-01T09:00 | 2026-03-02T09:00~2026-03-05T09:00    | -          | 2026-03-16
            cn-15         | 2026-11-22T20:00 | 2026-11-22T23:59 | -                                    | -          | 2026-12-07
            cn-15         | 2026-11-22T20:00 | 2026-11-23T00:01 | -                                    | -          | 2026-12-08
            # cn-15-working: fifteen working days, Chinese holidays off, make-up days on
            cn-15-working | 2026-11-23T09:00 | 2026-11-23T10:00 | -                                    | -          | 2026-12-14
            cn-15-working | 2026-11-27T09:00 | 2026-11-28T10:00 | -                                    | -          | 2026-12-18
            cn-15-working | 2026-09-18T09:00 | 2026-09-18T10:00 | -                                    | -          | 2026-10-15
            cn-15-working | 2026-02-10T09:00 | 2026-02-10T10:00 | -                                    | -          | 2026-03-09
            cn-15-working | 2025-12-31T09:00 | 2025-12-31T10:00 | -                                    | -          | 2026-01-22
            cn-15-working | 2026-04-30T09:00 | 2026-04-30T10:00 | -                                    | -          | 2026-05-25
            cn-15-working | 2026-06-17T09:00 | 2026-06-17T10:00 | -                                    | -          | 2026-07-09
            cn-15-working | 2026-04-02T09:00 | 2026-04-02T10:00 | -                                    | -          | 2026-04-24
            cn-15-working | 2025-09-26T09:00 | 2025-09-26T10:00 | -                                    | -          | 2025-10-23
            cn-15-working | 2025-01-24T09:00 | 2025-01-24T10:00 | -                                    | -          | 2025-02-20
            # gdpr: one month from receipt, paused while waiting on the requester, up to two more months
            gdpr          | 2026-01-31T09:00 | -                | -                                    | -          | 2026-02-28
            gdpr          | 2024-01-31T09:00 | -                | -                                    | -          | 2024-02-29
            gdpr          | 2026-03-31T09:00 | -                | -                                    | -          | 2026-04-30
            gdpr          | 2026-05-15T09:00 | 2026-05-20T09:00 | -                                    | -          | 2026-06-15
            gdpr          | 2026-12-15T09:00 | -                | -                                    | -          | 2027-01-15
            gdpr          | 2024-02-29T09:00 | -                | -                                    | -          | 2024-03-29
            gdpr          | 2026-08-31T09:00 | -                | -                                    | -          | 2026-09-30
            gdpr          | 2026-01-30T09:00 | -                | -                                    | -          | 2026-02-28
            gdpr          | 2026-03-02T10:00 | 2026-03-05T09:00 | 2026-03-02T10:00~2026-03-05T09:00    | -          | 2026-04-05
            gdpr          | 2026-03-02T10:00 | -                | 2026-03-02T10:00~2026-03-02T18:00    | -          | 2026-04-02
            gdpr          | 2026-06-01T09:00 | -                | 2026-06-01T09:00~2026-06-03T09:00;2026-06-10T09:00~2026-06-11T09:00 | - | 2026-07-04
            gdpr          | 2026-01-31T09:00 | -                | -                                    | 2 MONTHS   | 2026-04-30
            gdpr          | 2026-01-31T09:00 | -                | -                                    | 1 MONTHS   | 2026-03-31
            gdpr          | 2026-01-31T09:00 | -                | -                                    | 1 MONTHS;1 MONTHS | 2026-04-30
            gdpr          | 2026-03-02T10:00 | -                | 2026-03-02T10:00~2026-03-05T09:00    | 2 MONTHS   | 2026-06-05
            gdpr          | 2026-03-02T10:00 | -                | 2026-02-20T10:00~2026-03-04T09:00    | -          | 2026-04-04
            # ccpa: forty-five days from receipt, verification time included, up to forty-five more
            ccpa          | 2026-01-01T09:00 | -                | -                                    | -          | 2026-02-15
            ccpa          | 2024-01-15T09:00 | -                | -                                    | -          | 2024-02-29
            ccpa          | 2026-01-15T09:00 | -                | -                                    | -          | 2026-03-01
            ccpa          | 2026-01-01T09:00 | -                | -                                    | 45 CALENDAR_DAYS | 2026-04-01
            ccpa          | 2026-01-01T09:00 | -                | -                                    | 30 CALENDAR_DAYS | 2026-03-17
            ccpa          | 2026-05-01T09:00 | 2026-05-20T09:00 | 2026-05-01T09:00~2026-05-20T09:00    | -          | 2026-06-15
            ccpa          | 2026-12-01T09:00 | -                | -                                    | -          | 2027-01-15
            ccpa          | 2026-03-10T09:00 | 2026-03-20T09:00 | -                                    | -          | 2026-04-24
            # a paused working-day policy: the pause takes out the working days it spans
            wd-10-paused  | 2026-09-21T09:00 | -                | -                                    | -          | 2026-10-12
            wd-10-paused  | 2026-09-21T09:00 | -                | 2026-09-21T09:00~2026-09-29T09:00    | -          | 2026-10-19
            wd-10-paused  | 2026-09-21T09:00 | -                | -                                    | 3 WORKING_DAYS | 2026-10-15
            """)
    void theReplyIsDueAtTheEndOfTheRightDay(String policy, String received, String verified, String waiting, String extensions,
                                              LocalDate expected) {
        DeadlineClock.Facts facts = new DeadlineClock.Facts(at(received), at(verified), waits(waiting), extensions(extensions));
        Instant due = clock().due(POLICIES.get(policy), facts, at("2030-01-01T00:00")).orElseThrow();
        assertThat(due).isEqualTo(expected.atTime(23, 59, 59).atZone(BEIJING).toInstant());
        assertThat(uncovered).as("every date above lies in a year the calendar lists").isEmpty();
    }

    @Test
    void aPolicyCountingFromVerificationHasNoDeadlineBeforeIt() {
        DeadlineClock.Facts facts = new DeadlineClock.Facts(at("2026-11-22T09:00"), null, List.of(), List.of());
        assertThat(clock().due(POLICIES.get("cn-15"), facts, Instant.now())).isEmpty();
        assertThat(clock().due(POLICIES.get("ccpa"), facts, Instant.now())).isPresent();
    }

    @Test
    void whileStillWaitingTheDeadlineMovesWithEachDay() {
        DeadlineClock.Facts facts = new DeadlineClock.Facts(at("2026-03-02T09:00"), null,
                List.of(new DeadlineClock.Waiting(at("2026-03-03T09:00"), null)), List.of());
        Instant due = clock().due(POLICIES.get("gdpr"), facts, at("2026-03-10T12:00")).orElseThrow();
        assertThat(due.atZone(BEIJING).toLocalDate()).isEqualTo(LocalDate.parse("2026-04-09"));
    }

    @Test
    void theDayIsTheDayInTheConfiguredZone() {
        // 16:30 UTC on the 22nd is 00:30 on the 23rd in Beijing
        DeadlineClock.Facts facts = new DeadlineClock.Facts(Instant.parse("2026-11-22T16:30:00Z"), Instant.parse("2026-11-22T16:30:00Z"),
                List.of(), List.of());
        assertThat(clock().due(POLICIES.get("cn-15"), facts, Instant.now()).orElseThrow()).isEqualTo(Instant.parse("2026-12-08T15:59:59Z"));
        DeadlineClock utc = new DeadlineClock(ZoneId.of("UTC"), Map.of("cn", cn), y -> { });
        assertThat(utc.due(POLICIES.get("cn-15"), facts, Instant.now()).orElseThrow()).isEqualTo(Instant.parse("2026-12-07T23:59:59Z"));
    }

    @Test
    void countingIntoAYearTheCalendarDoesNotListIsReportedAndUsesWeekendsOnly() {
        DeadlineClock.Facts facts = new DeadlineClock.Facts(at("2027-01-04T09:00"), at("2027-01-04T10:00"), List.of(), List.of());
        Instant due = clock().due(POLICIES.get("cn-15-working"), facts, Instant.now()).orElseThrow();
        assertThat(due.atZone(BEIJING).toLocalDate()).isEqualTo(LocalDate.parse("2027-01-25"));
        assertThat(uncovered).containsExactly(2027);
    }

    @Test
    void extensionsOutsideThePolicyAreRefused() {
        assertThatThrownBy(() -> DeadlineClock.checkExtension(POLICIES.get("cn-15"), List.of(), ext("5 CALENDAR_DAYS")))
                .hasMessageContaining("does not allow extensions");
        assertThatThrownBy(() -> DeadlineClock.checkExtension(POLICIES.get("gdpr"), List.of(), ext("3 MONTHS")))
                .hasMessageContaining("at most 2 months");
        assertThatThrownBy(() -> DeadlineClock.checkExtension(POLICIES.get("gdpr"), List.of(ext("1 MONTHS")), ext("2 MONTHS")))
                .hasMessageContaining("1 already granted");
        assertThatThrownBy(() -> DeadlineClock.checkExtension(POLICIES.get("ccpa"), List.of(), ext("1 MONTHS")))
                .hasMessageContaining("extends in days");
        assertThatThrownBy(() -> DeadlineClock.checkExtension(POLICIES.get("ccpa"), List.of(), ext("0 CALENDAR_DAYS")))
                .hasMessageContaining("at least one");
        DeadlineClock.checkExtension(POLICIES.get("gdpr"), List.of(ext("1 MONTHS")), ext("1 MONTHS"));
        DeadlineClock.checkExtension(POLICIES.get("ccpa"), List.of(), ext("45 CALENDAR_DAYS"));
    }

    @Test
    void theShippedCalendarKnowsHolidaysAndMakeUpDays() {
        assertThat(cn.isWorkingDay(LocalDate.parse("2026-02-16"))).as("Spring Festival, a Monday").isFalse();
        assertThat(cn.isWorkingDay(LocalDate.parse("2026-02-14"))).as("make-up Saturday").isTrue();
        assertThat(cn.isWorkingDay(LocalDate.parse("2026-10-10"))).as("make-up Saturday").isTrue();
        assertThat(cn.isWorkingDay(LocalDate.parse("2026-10-08"))).as("the Thursday after National Day").isTrue();
        assertThat(cn.isWorkingDay(LocalDate.parse("2025-10-08"))).as("National Day 2025 ran to the 8th").isFalse();
        assertThat(cn.isWorkingDay(LocalDate.parse("2026-11-21"))).as("an ordinary Saturday").isFalse();
    }

    @Test
    void aCalendarFileWithMistakesIsRefusedWithTheReason() {
        assertThatThrownBy(() -> WorkingCalendar.read(stream("name: x\nyears: [2026]\nworking-weekends: [2026-11-23]\n"), "bad.yaml"))
                .hasMessageContaining("2026-11-23").hasMessageContaining("MONDAY");
        assertThatThrownBy(() -> WorkingCalendar.read(stream("name: x\nyears: [2026]\nholidays: [2027-01-01]\n"), "bad.yaml"))
                .hasMessageContaining("not listed under years");
        assertThatThrownBy(() -> WorkingCalendar.read(stream("name: x\nyears: [2026]\nholidays: [\"2026-02-23..2026-02-15\"]\n"), "bad.yaml"))
                .hasMessageContaining("forwards");
        assertThatThrownBy(() -> WorkingCalendar.read(stream("- just a list\n"), "bad.yaml")).hasMessageContaining("mapping");
    }

    private static InputStream stream(String text) {
        return new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Instant at(String local) {
        return local == null || local.equals("-") ? null : LocalDateTime.parse(local).atZone(BEIJING).toInstant();
    }

    private static List<DeadlineClock.Waiting> waits(String text) {
        List<DeadlineClock.Waiting> out = new ArrayList<>();
        if (text != null && !text.equals("-")) {
            for (String w : text.split(";")) {
                String[] ends = w.split("~");
                out.add(new DeadlineClock.Waiting(at(ends[0].trim()), at(ends[1].trim())));
            }
        }
        return out;
    }

    private static List<DeadlineClock.Extension> extensions(String text) {
        List<DeadlineClock.Extension> out = new ArrayList<>();
        if (text != null && !text.equals("-")) {
            for (String e : text.split(";")) {
                out.add(ext(e.trim()));
            }
        }
        return out;
    }

    private static DeadlineClock.Extension ext(String text) {
        String[] parts = text.split(" ");
        return new DeadlineClock.Extension(Integer.parseInt(parts[0]), DayCount.valueOf(parts[1]));
    }
}
