package org.dsrflow.sla;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.dsrflow.cases.CaseMoved;
import org.dsrflow.cases.CaseState;
import org.dsrflow.cases.CaseStore;
import org.dsrflow.cases.DsrCase;
import org.dsrflow.connector.ConnectorRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The forecast: when a case is verified, and whenever it comes to wait on systems, its expected
 * completion is now plus the longest expected answer among the systems still to answer (they are
 * asked in parallel). A case that cannot finish by its due date is flagged at risk at that moment —
 * an "at-risk" notice to managers, once per due date — rather than on the day before.
 */
@Component
public class Forecast {
    private static final Logger log = LoggerFactory.getLogger(Forecast.class);
    static final SlaSettings.Point AT_RISK = new SlaSettings.Point("at-risk", Duration.ZERO, "managers");

    private final ConnectorRegistry connectors;
    private final CaseStore cases;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final SlaWatch watch;
    private final SlaSettings settings;

    Forecast(ConnectorRegistry connectors, CaseStore cases, JdbcTemplate jdbc, TransactionTemplate tx, SlaWatch watch,
             SlaSettings settings) {
        this.connectors = connectors;
        this.cases = cases;
        this.jdbc = jdbc;
        // runs after the move's own transaction committed: a new transaction, not the finished one
        this.tx = new TransactionTemplate(java.util.Objects.requireNonNull(tx.getTransactionManager()));
        this.tx.setPropagationBehavior(org.springframework.transaction.TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.watch = watch;
        this.settings = settings;
    }

    @TransactionalEventListener(fallbackExecution = true)
    public void caseMoved(CaseMoved moved) {
        CaseState state = moved.current().state();
        if (state == CaseState.VERIFIED || state == CaseState.WAITING_ON_SYSTEMS || state == CaseState.NEEDS_ATTENTION) {
            try {
                assess(moved.current());
            } catch (RuntimeException e) {
                // a forecast never stands in the way of the case itself; the deadline watch still runs
                log.warn("Forecast for case {} failed: {}", moved.current().id(), e.toString());
            }
        }
    }

    /** The expected completion of a case from now; flags it at risk (once per due date) when that is after its due date. */
    public Instant assess(String caseId) {
        return assess(cases.get(caseId));
    }

    /** The same for the case as a move left it (the move committed just before: no need to read it again). */
    private Instant assess(DsrCase c) {
        String caseId = c.id();
        Instant expected = Instant.now().plus(longestOutstanding(caseId, c.state()));
        if (c.dueAt() != null && !c.state().isClosed() && expected.isAfter(c.dueAt()) && settings.recipients().containsKey(AT_RISK.audience())) {
            Boolean sent = tx.execute(s -> watch.notifyOnce(cases.get(caseId), AT_RISK, Instant.now()));
            if (Boolean.TRUE.equals(sent)) {
                log.info("Case {} is at risk: expected {} after its due date {}", caseId, expected, c.dueAt());
            }
        }
        return expected;
    }

    /** The longest expected answer among the systems that have not answered (all of them before the fan-out). */
    private Duration longestOutstanding(String caseId, CaseState state) {
        // a case just verified has no tasks yet (they are planned after verification): nothing to read
        List<String> finished = state == CaseState.VERIFIED ? List.of() : jdbc.queryForList("select system from connector_task "
                + "where case_id = ? and state in ('DONE','NOT_FOUND','RETAINED')", String.class, caseId);
        return connectors.all().stream().map(c -> c.system()).filter(s -> !finished.contains(s))
                .map(connectors::expectedAnswer).max(Duration::compareTo).orElse(Duration.ZERO);
    }
}
