package org.dsrflow.deadline;

import java.io.IOException;
import java.io.InputStream;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Which days are working days: Monday to Friday, minus the public holidays, plus the weekend days
 * that are made working days (make-up days). Read from a data file (see config/calendars/cn.yaml)
 * so a new year's holidays need no release.
 */
public final class WorkingCalendar {
    private final String name;
    private final Set<Integer> years;
    private final Set<LocalDate> holidays;
    private final Set<LocalDate> workingWeekends;

    WorkingCalendar(String name, Set<Integer> years, Set<LocalDate> holidays, Set<LocalDate> workingWeekends) {
        this.name = name;
        this.years = Set.copyOf(years);
        this.holidays = Set.copyOf(holidays);
        this.workingWeekends = Set.copyOf(workingWeekends);
        for (LocalDate d : this.workingWeekends) {
            if (!isWeekend(d)) {
                throw new IllegalArgumentException("calendar " + name + ": " + d + " is listed as a working weekend day but is a " + d.getDayOfWeek());
            }
            if (this.holidays.contains(d)) {
                throw new IllegalArgumentException("calendar " + name + ": " + d + " is listed both as a holiday and as a working day");
            }
        }
    }

    /** A calendar without public holidays: Monday to Friday. */
    public static WorkingCalendar weekdays(String name) {
        return new WorkingCalendar(name, Set.of(), Set.of(), Set.of());
    }

    public String name() {
        return name;
    }

    public boolean isWorkingDay(LocalDate day) {
        if (workingWeekends.contains(day)) {
            return true;
        }
        return !isWeekend(day) && !holidays.contains(day);
    }

    /** Whether the file lists this year's holidays; outside them only weekends are days off. */
    public boolean covers(int year) {
        return years.contains(year);
    }

    private static boolean isWeekend(LocalDate d) {
        return d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY;
    }

    /**
     * Reads a calendar file: {@code name}, {@code years}, {@code holidays} (dates or ranges
     * {@code 2026-02-15..2026-02-23}) and {@code working-weekends} (dates).
     */
    public static WorkingCalendar read(InputStream in, String origin) throws IOException {
        Object loaded;
        try {
            loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (RuntimeException e) {
            throw new IOException("calendar " + origin + " is not valid YAML: " + e.getMessage(), e);
        }
        if (!(loaded instanceof Map<?, ?> file)) {
            throw new IOException("calendar " + origin + " must be a mapping with name, years, holidays, working-weekends");
        }
        try {
            String name = String.valueOf(required(file, "name", origin));
            Set<Integer> years = new HashSet<>();
            for (Object y : list(file.get("years"), "years", origin)) {
                years.add(Integer.parseInt(String.valueOf(y)));
            }
            Set<LocalDate> holidays = new HashSet<>();
            for (Object entry : list(file.get("holidays"), "holidays", origin)) {
                holidays.addAll(days(entry));
            }
            Set<LocalDate> working = new HashSet<>();
            for (Object entry : list(file.get("working-weekends"), "working-weekends", origin)) {
                working.addAll(days(entry));
            }
            for (LocalDate d : holidays) {
                if (!years.contains(d.getYear())) {
                    throw new IOException("calendar " + origin + ": holiday " + d + " lies in a year not listed under years");
                }
            }
            return new WorkingCalendar(name, years, holidays, working);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new IOException("calendar " + origin + ": " + e.getMessage(), e);
        }
    }

    private static Object required(Map<?, ?> file, String key, String origin) throws IOException {
        Object v = file.get(key);
        if (v == null) {
            throw new IOException("calendar " + origin + " has no " + key);
        }
        return v;
    }

    private static Collection<?> list(Object v, String key, String origin) throws IOException {
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof Collection<?> c)) {
            throw new IOException("calendar " + origin + ": " + key + " must be a list");
        }
        return c;
    }

    /** One date, or a range "from..to" (both included). YAML may already have read a date as a timestamp. */
    private static List<LocalDate> days(Object entry) {
        if (entry instanceof Date date) {
            return List.of(date.toInstant().atOffset(ZoneOffset.UTC).toLocalDate());
        }
        String text = String.valueOf(entry).trim();
        int dots = text.indexOf("..");
        if (dots < 0) {
            return List.of(LocalDate.parse(text));
        }
        LocalDate from = LocalDate.parse(text.substring(0, dots).trim());
        LocalDate to = LocalDate.parse(text.substring(dots + 2).trim());
        if (to.isBefore(from) || from.plusDays(31).isBefore(to)) {
            throw new IllegalArgumentException("the range " + text + " must run forwards and span at most a month");
        }
        return from.datesUntil(to.plusDays(1)).toList();
    }
}
