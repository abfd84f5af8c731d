package org.dsrflow.deadline;

/**
 * A rule for when a reply is due: {@code length} in {@code unit} from {@code starts}, optionally
 * paused while the requester is the one we wait for, extendable by at most {@code maxExtension}
 * in {@code extensionUnit}. Working days are counted on the named {@code calendar}.
 */
public record DeadlinePolicy(String name, int length, DayCount unit, ClockStart starts, boolean pausesWhileWaiting,
                             int maxExtension, DayCount extensionUnit, String calendar) {

    public DeadlinePolicy {
        String where = "deadline policy " + name + ": ";
        if (length <= 0) {
            throw new IllegalArgumentException(where + "length must be positive");
        }
        if (unit == null || starts == null) {
            throw new IllegalArgumentException(where + "unit and starts are required");
        }
        if (maxExtension < 0) {
            throw new IllegalArgumentException(where + "max-extension cannot be negative");
        }
        if (maxExtension > 0 && extensionUnit == null) {
            throw new IllegalArgumentException(where + "max-extension needs an extension-unit");
        }
        if ((unit == DayCount.WORKING_DAYS || extensionUnit == DayCount.WORKING_DAYS) && (calendar == null || calendar.isBlank())) {
            throw new IllegalArgumentException(where + "counting working days needs a calendar");
        }
    }

    public boolean extendable() {
        return maxExtension > 0;
    }
}
