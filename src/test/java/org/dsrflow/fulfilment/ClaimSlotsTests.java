package org.dsrflow.fulfilment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.dsrflow.cases.CaseState;
import org.dsrflow.cases.CaseStore;
import org.dsrflow.cases.CaseType;
import org.dsrflow.support.EmbeddedStackTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An instance claims only as many cases as it has free slots: a wave of verified requests stays in
 * the case store, where other instances can take their share, instead of being claimed by the first
 * poll that sees it and queued in one instance's memory. A claimed case's plan marks the tasks it
 * hands out running, all at once.
 */
class ClaimSlotsTests extends EmbeddedStackTest {
    private static final String POLL = FanOutByHand.POLL;

    @Autowired
    CaseStore cases;
    @Autowired
    FulfilmentService fulfilment;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CamelContext camel;

    @Test
    void aPollClaimsOnlyTheFreeSlotsAndAReleaseFreesOne() throws Exception {
        // the application's own claims are stopped, so that only the instances below claim
        stopClaiming();
        CaseWork two = new CaseWork(cases, fulfilment, Duration.ofSeconds(1), tx, Duration.ofMinutes(1), 40, 2);
        CaseWork batchOfThree = new CaseWork(cases, fulfilment, Duration.ofSeconds(1), tx, Duration.ofMinutes(1), 3, 10);
        List<String> claimed = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                verifiedCase("slots-" + i + "@example.com");
            }

            List<String> first = two.claim();
            claimed.addAll(first);
            assertThat(first).hasSize(2);
            assertThat(heldBy(two)).isEqualTo(2);

            // every slot taken: nothing more is claimed, not even for a moment
            assertThat(two.claim()).isEmpty();
            assertThat(heldBy(two)).isEqualTo(2);

            two.release(first.get(0));
            claimed.remove(first.get(0));
            assertThat(heldBy(two)).isEqualTo(1);
            List<String> next = two.claim();
            claimed.addAll(next);
            assertThat(next).hasSize(1).doesNotContain(first.get(1));
            assertThat(heldBy(two)).isEqualTo(2);

            // with slots to spare, claim-batch still caps one poll
            List<String> batch = batchOfThree.claim();
            claimed.addAll(batch);
            assertThat(batch).hasSize(3).doesNotContainAnyElementsOf(List.of(first.get(1), next.get(0)));
            assertThat(heldBy(batchOfThree)).isEqualTo(3);
        } finally {
            for (String id : claimed) {
                (heldBy(two, id) ? two : batchOfThree).release(id);
            }
            startClaiming();
        }
        assertThat(heldBy(two) + heldBy(batchOfThree)).as("everything claimed is given back").isZero();
    }

    @Test
    void aClaimThatTookAllItAskedForExpectsMoreAndOneThatFoundFewerDoesNot() throws Exception {
        stopClaiming();
        CaseWork one = new CaseWork(cases, fulfilment, Duration.ofSeconds(1), tx, Duration.ofMinutes(1), 40, 1);
        List<String> claimed = new ArrayList<>();
        try {
            verifiedCase("more-0@example.com");
            verifiedCase("more-1@example.com");
            claimed.addAll(one.claim());
            assertThat(claimed).hasSize(1);
            assertThat(one.mayHaveMore()).as("took its one slot's worth: more may wait").isTrue();
            // everything else that is ready goes to a wide instance; then nothing is left
            CaseWork wide = new CaseWork(cases, fulfilment, Duration.ofSeconds(1), tx, Duration.ofMinutes(1), 1000, 1000);
            List<String> rest = new ArrayList<>(wide.claim());
            try {
                assertThat(rest).isNotEmpty();
                one.release(claimed.remove(0));
                // the released case is ready again: the wide instance takes it too
                rest.addAll(wide.claim());
                assertThat(one.claim()).isEmpty();
                assertThat(one.mayHaveMore()).as("found nothing: no claim is asked for on the next release").isFalse();
            } finally {
                rest.forEach(wide::release);
            }
        } finally {
            claimed.forEach(one::release);
            startClaiming();
        }
    }

    @Test
    void aVerifiedCaseIsWorkedThroughToItsReplyWithoutTheTimersPolls() throws Exception {
        // only the nudges are left: at verification, and when the deferred system's answer wakes the case
        camel.getRouteController().stopRoute(POLL, 20, TimeUnit.SECONDS);
        try {
            String id = verifiedCase("nudged@example.com");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String state = null;
            while (System.nanoTime() < until && !"REPLIED".equals(state)) {
                Thread.sleep(100);
                state = jdbc.queryForObject("select state from dsr_case where id = ?", String.class, id);
            }
            assertThat(state).as("worked through with the timer stopped").isEqualTo("REPLIED");
            assertThat(jdbc.queryForList("select system from connector_task where case_id = ? and state = 'NOT_FOUND'", String.class, id))
                    .as("every system answered, the one that answers later by Kafka too")
                    .containsExactlyInAnyOrder("billing", "crm", "helpdesk", "logs", "notifications");
        } finally {
            camel.getRouteController().startRoute(POLL);
        }
    }

    /**
     * A claimed case's plan creates its tasks the first time, hands out the ones with work left and
     * marks exactly those running, together, in its own transaction; a final task is left alone.
     */
    @Test
    void thePlanMarksWhatItHandsOutRunningAndLeavesFinalTasksAlone() throws Exception {
        stopClaiming();
        try {
            String id = FanOutByHand.verifiedCase(tx, cases, CaseType.DELETION, "plan@example.com");

            List<TaskWork> first = fulfilment.plan(id);
            assertThat(first).extracting(TaskWork::system).containsExactlyInAnyOrder("billing", "crm", "helpdesk", "logs", "notifications");
            // the system that answers later (over Kafka) is handed out first, the others in the order they were planned
            assertThat(first).extracting(TaskWork::system).first().isEqualTo("notifications");
            assertThat(first).extracting(TaskWork::system).isEqualTo(jdbc.queryForList("select system from connector_task "
                    + "where case_id = ? order by system <> 'notifications', id", String.class, id));
            assertThat(first).allSatisfy(w -> assertThat(w.subjectEmail()).isEqualTo("plan@example.com"));
            assertThat(jdbc.queryForList("select system from connector_task where case_id = ? and state = 'RUNNING' and attempts = 1 "
                    + "and started_at is not null", String.class, id)).as("every task handed out is marked running, once")
                    .containsExactlyInAnyOrder("billing", "crm", "helpdesk", "logs", "notifications");
            assertThat(cases.get(id).state()).isEqualTo(CaseState.IN_PROGRESS);

            // billing finished meanwhile (nothing found); the others are still running (their instance died, say)
            jdbc.update("update connector_task set state = 'DONE', result = ? where case_id = ? and system = 'billing'",
                    "{\"report\":{\"system\":\"billing\",\"tables\":[]},\"proof\":{\"system\":\"billing\",\"remainingPerTable\":{}}}", id);
            List<TaskWork> again = fulfilment.plan(id);
            assertThat(again).extracting(TaskWork::system).containsExactlyInAnyOrder("crm", "helpdesk", "logs", "notifications");
            assertThat(jdbc.queryForObject("select count(*) from connector_task where case_id = ?", Integer.class, id))
                    .as("planning again adds no task").isEqualTo(5);
            assertThat(jdbc.queryForList("select system || ':' || state || ':' || attempts from connector_task where case_id = ?",
                    String.class, id)).containsExactlyInAnyOrder("billing:DONE:1", "crm:RUNNING:2", "helpdesk:RUNNING:2",
                    "logs:RUNNING:2", "notifications:RUNNING:2");
        } finally {
            startClaiming();
        }
    }

    private void stopClaiming() throws Exception {
        FanOutByHand.stopClaiming(camel);
    }

    private void startClaiming() throws Exception {
        FanOutByHand.startClaiming(camel);
    }

    private String verifiedCase(String email) {
        return FanOutByHand.verifiedCase(tx, cases, CaseType.ACCESS, email);
    }

    private int heldBy(CaseWork work) {
        return jdbc.queryForObject("select count(*) from dsr_case where claimed_by = ? and claim_until > now()", Integer.class,
                work.worker());
    }

    private boolean heldBy(CaseWork work, String id) {
        return jdbc.queryForObject("select count(*) from dsr_case where id = ? and claimed_by = ?", Integer.class, id, work.worker()) > 0;
    }
}
