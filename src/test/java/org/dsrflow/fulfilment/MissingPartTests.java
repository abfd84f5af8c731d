package org.dsrflow.fulfilment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;

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
 * An export part that is not on this instance's disk when the package is built (written on another
 * instance, or removed) sends its system back to export again, instead of failing the conclusion
 * on every claim or packaging a file that says "N records" and holds none.
 */
class MissingPartTests extends EmbeddedStackTest {
    @Autowired
    CaseStore cases;
    @Autowired
    FulfilmentService fulfilment;
    @Autowired
    ExportPackager packager;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CamelContext camel;

    @Test
    void aMissingPartIsExportedAgainBeforeThePackageIsBuilt() throws Exception {
        // the application's own claims are stopped: this test plays the fan-out's steps itself
        FanOutByHand.stopClaiming(camel);
        try {
            // a person the demo's systems know (billing has their account), and no other test asks for:
            // the suite's tests share one case store, where an open case of theirs would join others' requests
            String id = FanOutByHand.verifiedCase(tx, cases, CaseType.ACCESS, "ella.fisher@example.com");
            List<TaskWork> planned = fulfilment.plan(id);
            planned.forEach(fulfilment::runTask);
            FanOutByHand.awaitAllFinal(jdbc, id);
            assertThat(records(id, "billing")).isPositive();

            Files.delete(packager.partFile(id, "billing"));
            assertThat(fulfilment.conclude(id).state()).as("not replied without billing's records").isEqualTo(CaseState.IN_PROGRESS);
            assertThat(jdbc.queryForObject("select state from connector_task where case_id = ? and system = 'billing'", String.class, id))
                    .isEqualTo("PENDING");
            assertThat(jdbc.queryForList("select detail::json ->> 'system' from audit_log where case_id = ? and action = 'task.part-missing'",
                    String.class, id)).containsExactly("billing");
            assertThat(jdbc.queryForObject("select count(*) from export_package where case_id = ?", Integer.class, id)).isZero();

            // the next pass runs billing alone, and the package is built with its records
            List<TaskWork> again = fulfilment.plan(id);
            assertThat(again).extracting(TaskWork::system).containsExactly("billing");
            again.forEach(fulfilment::runTask);
            assertThat(fulfilment.conclude(id).state()).isEqualTo(CaseState.REPLIED);
            assertThat(jdbc.queryForObject("select count(*) from export_package where case_id = ?", Integer.class, id)).isEqualTo(1);
            assertThat(jdbc.queryForObject("select attempts from connector_task where case_id = ? and system = 'billing'", Integer.class, id))
                    .isEqualTo(2);
            assertThat(jdbc.queryForObject("select attempts from connector_task where case_id = ? and system = 'logs'", Integer.class, id))
                    .as("the systems whose parts were there are not asked again").isEqualTo(1);
        } finally {
            FanOutByHand.startClaiming(camel);
        }
    }

    @Test
    void aWaitingCaseGoesBackIntoProgressAndAPartThatKeepsVanishingWaitsForAnOperator() throws Exception {
        FanOutByHand.stopClaiming(camel);
        try {
            String id = FanOutByHand.verifiedCase(tx, cases, CaseType.ACCESS, "gao.fei@example.net");
            FanOutByHand.runAllTasks(fulfilment, jdbc, id);
            // concluded after a deferred system's answer woke it: the case is waiting on systems
            tx.executeWithoutResult(s -> cases.transition(id, CaseState.WAITING_ON_SYSTEMS, "test", "awaiting answers"));

            for (int time = 1; time <= FulfilmentService.PART_MISSING_LIMIT; time++) {
                Files.delete(packager.partFile(id, "billing"));
                assertThat(fulfilment.conclude(id).state()).as("missing %d time(s): back in progress, claimable at once", time)
                        .isEqualTo(CaseState.IN_PROGRESS);
                List<TaskWork> again = fulfilment.plan(id);
                assertThat(again).extracting(TaskWork::system).containsExactly("billing");
                again.forEach(fulfilment::runTask);
            }
            // instances that do not share the export folder would go round for ever: an operator decides
            Files.delete(packager.partFile(id, "billing"));
            assertThat(fulfilment.conclude(id).state()).isEqualTo(CaseState.NEEDS_ATTENTION);
            assertThat(jdbc.queryForMap("select state, retriable, error from connector_task where case_id = ? and system = 'billing'", id))
                    .containsEntry("state", "FAILED").containsEntry("retriable", false)
                    .hasEntrySatisfying("error", e -> assertThat((String) e).contains("export folder"));
            assertThat(jdbc.queryForObject("select count(*) from export_package where case_id = ?", Integer.class, id)).isZero();
            assertThat(fulfilment.plan(id)).as("not run again until an operator says so").isEmpty();
        } finally {
            FanOutByHand.startClaiming(camel);
        }
    }

    private long records(String id, String system) {
        return jdbc.queryForObject("select coalesce(sum(r.value::bigint), 0) from connector_task t, "
                + "json_each_text(t.result::json -> 'recordsPerTable') r where t.case_id = ? and t.system = ?", Long.class, id, system);
    }
}
