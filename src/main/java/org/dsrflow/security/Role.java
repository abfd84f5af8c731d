package org.dsrflow.security;

import java.util.Locale;

/**
 * What a member of staff may do in the console.
 * <ul>
 * <li>{@code manager}: the overview, the case list and case pages (reading), the regulator report, the audit check;</li>
 * <li>{@code agent}: the overview, cases, and every action on a case (attest, extend, retry, close a manual task,
 * reject, resend a mail);</li>
 * <li>{@code admin}: all of the above.</li>
 * </ul>
 */
public enum Role {
    MANAGER, AGENT, ADMIN;

    public String authority() {
        return "ROLE_" + name();
    }

    /** Parses a role as written in configuration ({@code manager}, {@code Agent}, ...). */
    public static Role parse(String text) {
        try {
            return Role.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException("Unknown role '" + text + "': use manager, agent or admin");
        }
    }
}
