package org.dsrflow.bench.jmh;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Open cases written straight into the case store, many at once. Ids are {@code 0BENCH} and a
 * zero-padded number (valid ULID characters), so case {@code n} is easy to find again.
 */
final class OpenCases {
    /** Matches every case written here. */
    static final String IDS = "0BENCH%";

    private OpenCases() {
    }

    /**
     * {@code total} verified cases, being worked on or waiting on systems, received over the last two
     * weeks: the first {@code nearDeadline} are due in 3 to 5 days (the "five days left" point, and no
     * other), the rest later, spread over the remaining 5 to 14 days. Every case is leased to a
     * worker that does not exist, so the fulfilment never picks one up.
     */
    static void insert(JdbcTemplate caseStore, int total, int nearDeadline) {
        caseStore.update("""
                insert into dsr_case (id, type, channel, state, subject_email, requester_email, language,
                                      received_at, verified_at, due_at, policy, claimed_by, claim_until)
                select '0BENCH' || lpad(n::text, 20, '0'),
                       case when n % 4 = 0 then 'DELETION' else 'ACCESS' end,
                       (array['WEB', 'EMAIL', 'TICKET', 'API'])[1 + n % 4],
                       (array['VERIFIED', 'IN_PROGRESS', 'WAITING_ON_SYSTEMS'])[1 + n % 3],
                       'bench' || n || '@bench.example.org', 'bench' || n || '@bench.example.org', 'en',
                       due - interval '15 days' - (n % 48) * interval '1 hour', due - interval '15 days', due,
                       'cn-15', 'benchmark', now() + interval '1 year'
                from (select n, now() + case when n <= ? then interval '3 days' + (n % 40) * interval '1 hour'
                                             else interval '5 days 1 hour' + (n * 7919 % 13000) * interval '1 minute' end as due
                      from generate_series(1, ?) n) spread
                """, nearDeadline, total);
        caseStore.execute("analyze dsr_case");
    }

    /** Removes every case written here, with its notices, mails and events (an application used before). */
    static void removeAll(JdbcTemplate caseStore) {
        forgetNotices(caseStore);
        caseStore.update("delete from dsr_case where id like ?", IDS);
    }

    /** Forgets the notices sent for these cases, and the mails and events they queued. */
    static void forgetNotices(JdbcTemplate caseStore) {
        caseStore.update("delete from sla_notice where case_id like ?", IDS);
        caseStore.update("delete from outbox where case_id like ?", IDS);
    }
}
