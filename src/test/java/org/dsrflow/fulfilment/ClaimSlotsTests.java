package org.dsrflow.fulfilment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.dsrflow.cases.CaseState;
import org.dsrflow.cases.CaseStore;
import org.dsrflow.cases.CaseType;
import org.dsrflow.cases.Channel;
import org.dsrflow.support.EmbeddedStackTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An instance claims only as many cases as it has free slots: a wave of verified requests stays in
 * the case store, where other instances can take their share, instead of being claimed by the first
 * poll that sees it and queued in one instance's memory.
 */
class ClaimSlotsTests extends EmbeddedStackTest {
    private static final String POLL = "dsr-fulfilment-poll";

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
        // the application's own poll is stopped, so that only the instances below claim
        camel.getRouteController().stopRoute(POLL, 20, TimeUnit.SECONDS);
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
            camel.getRouteController().startRoute(POLL);
        }
        assertThat(heldBy(two) + heldBy(batchOfThree)).as("everything claimed is given back").isZero();
    }

    private void verifiedCase(String email) {
        tx.executeWithoutResult(s -> {
            String id = cases.create(CaseType.ACCESS, Channel.API, email, email, "en", "test").id();
            cases.transition(id, CaseState.AWAITING_VERIFICATION, "test", "code sent");
            cases.markVerified(id, Instant.now(), "test");
        });
    }

    private int heldBy(CaseWork work) {
        return jdbc.queryForObject("select count(*) from dsr_case where claimed_by = ? and claim_until > now()", Integer.class,
                work.worker());
    }

    private boolean heldBy(CaseWork work, String id) {
        return jdbc.queryForObject("select count(*) from dsr_case where id = ? and claimed_by = ?", Integer.class, id, work.worker()) > 0;
    }
}
