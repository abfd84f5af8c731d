package org.dsrflow.deadline;

/** How a deadline's length is counted. */
public enum DayCount {
    /** Every day counts. */
    CALENDAR_DAYS,
    /** Only working days of the policy's calendar count (weekends and public holidays do not; make-up days do). */
    WORKING_DAYS,
    /** Months: the same day of the month, or the month's last day if it has no such day (31 January + 1 month = 28/29 February). */
    MONTHS
}
