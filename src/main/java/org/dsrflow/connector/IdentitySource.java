package org.dsrflow.connector;

import java.util.Optional;

/**
 * The account system, as one connector file declares it: who an address belongs to, the contact
 * on record every verification goes to, the account's region, and data points a stricter
 * verification compares against.
 */
public interface IdentitySource {

    /** An account as the account system records it. */
    record Account(String system, String accountId, String contactEmail, String region) {
    }

    String system();

    /** The account whose address on record is this one (compared without regard to case). */
    Optional<Account> findByEmail(String email);

    /** The data points this source can check, e.g. {@code phone}. */
    java.util.Set<String> dataPoints();

    /**
     * Whether the account's recorded value of a data point equals the one given (compared in
     * constant time after normalising: digits only for phone numbers, trimmed and case-folded otherwise).
     */
    boolean matches(Account account, String dataPoint, String given);
}
