package org.dsrflow.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.dsrflow.support.EmbeddedStackTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

class CaseStoreTests extends EmbeddedStackTest {
    @Autowired
    CaseStore cases;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcTemplate jdbc;

    DsrCase newCase() {
        return tx.execute(s -> cases.create(CaseType.ACCESS, Channel.API, "store-test@example.com", "store-test@example.com", "en", "test"));
    }

    @Test
    void anIllegalTransitionIsRefusedAndLeavesNoTrace() {
        DsrCase c = newCase();
        long historyBefore = cases.history(c.id()).size();
        long auditBefore = jdbc.queryForObject("select count(*) from audit_log where case_id = ?", Long.class, c.id());

        assertThatThrownBy(() -> tx.execute(s -> cases.transition(c.id(), CaseState.FULFILLED, "test", null)))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("cannot move from RECEIVED to FULFILLED");

        assertThat(cases.get(c.id()).state()).isEqualTo(CaseState.RECEIVED);
        assertThat(cases.history(c.id())).hasSize((int) historyBefore);
        assertThat(jdbc.queryForObject("select count(*) from audit_log where case_id = ?", Long.class, c.id())).isEqualTo(auditBefore);
    }

    @Test
    void everyTransitionIsStoredWithItsHistoryAuditAndEvent() {
        DsrCase c = newCase();
        tx.execute(s -> cases.transition(c.id(), CaseState.AWAITING_VERIFICATION, "test", "code sent"));
        Instant verifiedAt = Instant.parse("2026-11-01T10:00:00Z");
        DsrCase verified = tx.execute(s -> cases.markVerified(c.id(), verifiedAt, "test"));

        assertThat(verified.state()).isEqualTo(CaseState.VERIFIED);
        // cn-15: the end of the fifteenth day after verification (18:00 in Beijing on 1 November), Beijing time
        assertThat(verified.dueAt()).isEqualTo(Instant.parse("2026-11-16T15:59:59Z"));
        assertThat(verified.policy()).isEqualTo("cn-15");
        // The live fulfilment poller may already have moved the verified case on; the first three moves are ours.
        assertThat(cases.history(c.id())).extracting(CaseTransition::to)
                .startsWith(CaseState.RECEIVED, CaseState.AWAITING_VERIFICATION, CaseState.VERIFIED);
        assertThat(jdbc.queryForList("select action from audit_log where case_id = ? order by seq", String.class, c.id()))
                .startsWith("case.received", "case.transition", "case.transition");
        assertThat(jdbc.queryForList("select payload from outbox where case_id = ? and kind = 'EVENT' order by id", String.class, c.id()))
                .hasSizeGreaterThanOrEqualTo(3)
                .satisfies(events -> assertThat(events.get(2)).contains("\"state\":\"VERIFIED\"").doesNotContain("store-test"));
    }

    @Test
    void aMovesEventIsWrittenByTheDatabaseInTheFormANewCasesEventHas() throws Exception {
        DsrCase c = newCase();
        tx.execute(s -> cases.transition(c.id(), CaseState.AWAITING_VERIFICATION, "test", "code sent"));
        java.util.List<String> events = jdbc.queryForList("select payload from outbox where case_id = ? and kind = 'EVENT' order by id",
                String.class, c.id());
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode received = json.readTree(events.get(0));
        com.fasterxml.jackson.databind.JsonNode moved = json.readTree(events.get(1));
        // the same fields in the same order, written the same compact way (the first by the application, the second by SQL)
        assertThat(iterable(moved.fieldNames())).containsExactlyElementsOf(iterable(received.fieldNames()));
        assertThat(events.get(1)).doesNotContain(" ").startsWith("{\"version\":1,\"caseId\":\"" + c.id() + "\",");
        assertThat(moved.get("from").asText()).isEqualTo("RECEIVED");
        assertThat(moved.get("state").asText()).isEqualTo("AWAITING_VERIFICATION");
        assertThat(moved.get("type").asText()).isEqualTo(c.type().name());
        assertThat(moved.get("channel").asText()).isEqualTo(c.channel().name());
        Instant at = Instant.parse(moved.get("at").asText());
        // the history row's time is the event's, rounded by PostgreSQL to the microsecond
        assertThat(Duration.between(at, cases.history(c.id()).get(1).at()).abs()).isLessThanOrEqualTo(Duration.ofNanos(1000));
    }

    private static java.util.List<String> iterable(java.util.Iterator<String> names) {
        java.util.List<String> all = new java.util.ArrayList<>();
        names.forEachRemaining(all::add);
        return all;
    }

    @Test
    void onlyMovesThatCanChangeTheDueDateRecomputeItAndEveryMoveReturnsTheCaseAsStored() {
        DsrCase c = newCase();
        Instant marker = Instant.parse("2030-01-01T00:00:00Z");
        jdbc.update("update dsr_case set due_at = ? where id = ?", java.sql.Timestamp.from(marker), c.id());
        // into a wait on the requester: the clock may pause, so the due date is worked out again
        DsrCase waiting = tx.execute(s -> cases.transition(c.id(), CaseState.AWAITING_VERIFICATION, "test", null));
        assertThat(waiting.dueAt()).isNotEqualTo(marker);
        assertThat(waiting).isEqualTo(cases.get(c.id()));

        DsrCase other = newCase();
        jdbc.update("update dsr_case set due_at = ? where id = ?", java.sql.Timestamp.from(marker), other.id());
        // received to duplicate: neither state is a wait and the clock does not start, so the date stays
        DsrCase closed = tx.execute(s -> cases.transition(other.id(), CaseState.DUPLICATE, "test", "joined another request"));
        assertThat(closed.dueAt()).isEqualTo(marker);
        assertThat(closed.closedAt()).isNotNull();
        assertThat(closed).isEqualTo(cases.get(other.id()));

        assertThat(org.dsrflow.deadline.Deadlines.clockMayMove("IN_PROGRESS", "WAITING_ON_SYSTEMS")).isFalse();
        assertThat(org.dsrflow.deadline.Deadlines.clockMayMove("AWAITING_VERIFICATION", "VERIFIED")).isTrue();
        assertThat(org.dsrflow.deadline.Deadlines.clockMayMove("RECEIVED", "VERIFIED")).isTrue();
        assertThat(org.dsrflow.deadline.Deadlines.clockMayMove("AWAITING_CLARIFICATION", "REJECTED")).isTrue();
        assertThat(org.dsrflow.deadline.Deadlines.clockMayMove("RECEIVED", "AWAITING_CLARIFICATION")).isTrue();
    }

    @Test
    void theDueDateIsWorkedOutFromTheStoredReceiptWaitsAndExtensions() {
        DsrCase c = newCase();
        tx.execute(s -> cases.transition(c.id(), CaseState.AWAITING_VERIFICATION, "test", "code sent"));
        tx.execute(s -> cases.markVerified(c.id(), Instant.parse("2026-01-15T02:00:00Z"), "test"));
        // gdpr: one month from receipt, paused while waiting on the requester (here 12 to 15 January)
        jdbc.update("update dsr_case set policy = 'gdpr', received_at = '2026-01-10T02:00:00Z' where id = ?", c.id());
        jdbc.update("update case_transition set at = case to_state when 'RECEIVED' then timestamptz '2026-01-10T02:00:00Z' "
                + "when 'AWAITING_VERIFICATION' then timestamptz '2026-01-12T02:00:00Z' else timestamptz '2026-01-15T02:00:00Z' end "
                + "where case_id = ?", c.id());
        jdbc.update("insert into deadline_extension (case_id, amount, unit, reason, actor, at) values (?, 2, 'MONTHS', 'test', 'test', now())",
                c.id());
        jdbc.update("insert into deadline_extension (case_id, amount, unit, reason, actor, at) values (?, 4, 'CALENDAR_DAYS', 'test', 'test', now())",
                c.id());

        Instant due = tx.execute(s -> cases.refreshDue(c.id()));

        // 10 January + 1 + 2 months = 10 April, + 3 days paused = 13 April, + 4 days = 17 April, end of the day in Beijing
        assertThat(due).isEqualTo(Instant.parse("2026-04-17T15:59:59Z"));
        assertThat(cases.get(c.id()).dueAt()).isEqualTo(due);
    }

    @Test
    void aRenewalReportsOnlyCasesAnotherWorkerHoldsNotOnesJustReleased() {
        DsrCase c = newCase();
        Duration lease = Duration.ofMinutes(1);
        jdbc.update("update dsr_case set claimed_by = 'worker-1', claim_until = now() + interval '1 minute' where id = ?", c.id());
        assertThat(cases.renew(java.util.List.of(c.id()), "worker-1", lease)).isEmpty();
        // released while the renewal was on its way: nobody holds it, so nothing was taken over
        assertThat(cases.release(c.id(), "worker-1", Duration.ZERO)).isTrue();
        assertThat(cases.renew(java.util.List.of(c.id()), "worker-1", lease)).isEmpty();
        jdbc.update("update dsr_case set claimed_by = 'worker-2', claim_until = now() + interval '1 minute' where id = ?", c.id());
        assertThat(cases.renew(java.util.List.of(c.id()), "worker-1", lease)).containsExactly(c.id());
        jdbc.update("update dsr_case set claimed_by = null, claim_until = null where id = ?", c.id());
    }

    @Test
    void twoWorkersCannotMakeTheSameMove() {
        DsrCase c = newCase();
        tx.execute(s -> cases.transition(c.id(), CaseState.AWAITING_VERIFICATION, "first", null));
        assertThatThrownBy(() -> tx.execute(s -> cases.transition(c.id(), CaseState.AWAITING_VERIFICATION, "second", null)))
                .isInstanceOf(IllegalTransitionException.class);
    }
}
