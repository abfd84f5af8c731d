package org.dsrflow.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.dsrflow.support.EmbeddedStackTest;
import org.dsrflow.support.Http;
import org.dsrflow.support.Mailbox;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The deadline watch against the running application: notices go to the point's audience by mail
 * and as an event, once per case, point and due date — a second sweep sends nothing, an extended
 * deadline is watched afresh.
 */
class SlaWatchTests extends EmbeddedStackTest {
    private static final String SUPPORT = "privacy-support@example.com";
    private static final String MANAGERS = "privacy-managers@example.com";

    @Autowired
    SlaWatch watch;
    @Autowired
    JdbcTemplate caseStore;

    @Test
    void eachPointIsNotifiedOnceAndAnExtendedDeadlineIsWatchedAfresh() throws Exception {
        Http http = new Http(port);
        String soon = open(http, "sla-soon-" + System.nanoTime() + "@example.org", "4 days");
        String late = open(http, "sla-late-" + System.nanoTime() + "@example.org", "-1 hours");
        String calm = open(http, "sla-calm-" + System.nanoTime() + "@example.org", "20 days");

        watch.sweep();
        assertThat(points(soon)).containsExactly("five-days-left");
        assertThat(points(late)).containsExactlyInAnyOrder("five-days-left", "two-days-left", "overdue");
        assertThat(points(calm)).isEmpty();

        watch.sweep();
        assertThat(points(soon)).as("nothing twice").hasSize(1);
        assertThat(points(late)).hasSize(3);

        Mailbox mailbox = new Mailbox(imapPort);
        Mailbox.Mail overdue = mailbox.await(MANAGERS, m -> m.subject().contains(late) && m.subject().contains("OVERDUE"),
                Duration.ofSeconds(30));
        assertThat(overdue.body()).contains("past its deadline", "AWAITING_VERIFICATION");
        assertThat(mailbox.await(SUPPORT, m -> m.subject().contains(soon), Duration.ofSeconds(30)).subject()).contains("left");
        assertThat(mailbox.read(MANAGERS)).extracting(Mailbox.Mail::subject).noneMatch(s -> s.contains(soon) || s.contains(calm));
        assertThat(caseStore.queryForObject("select count(*) from outbox where case_id = ? and kind = 'EVENT' and payload like ?",
                Integer.class, late, "%\"sla.notice\"%")).isEqualTo(3);
        assertThat(caseStore.queryForObject("select count(*) from audit_log where case_id = ? and action = 'sla.notice'",
                Integer.class, late)).isEqualTo(3);

        // the deadline moves (an extension): the points are watched again for the new date
        caseStore.update("update dsr_case set due_at = now() + interval '30 hours' where id = ?", late);
        watch.sweep();
        assertThat(points(late)).hasSize(5).containsOnlyOnce("overdue");
    }

    /** A case that stays open (unverified), given a due date {@code dueIn} from now. */
    private String open(Http http, String email, String dueIn) throws Exception {
        String reference = http.postJson("/api/requests", "{\"type\":\"ACCESS\",\"email\":\"" + email + "\",\"language\":\"en\"}")
                .json().path("reference").asText();
        caseStore.update("update dsr_case set due_at = now() + cast(? as interval) where id = ?", dueIn, reference);
        return reference;
    }

    private List<String> points(String caseId) {
        return caseStore.queryForList("select point from sla_notice where case_id = ? order by sent_at, point", String.class, caseId);
    }
}
