package org.dsrflow.cases;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.dsrflow.audit.AuditLog;
import org.dsrflow.deadline.Deadlines;
import org.dsrflow.outbox.Outbox;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The cases and their state machine. A transition is a conditional update on the current state,
 * written with its history row and audit event in the caller's transaction: either all of it is
 * stored, or none, and two workers can never both make the same move.
 */
@Repository
public class CaseStore {
    private static final String COLUMNS = "id, type, channel, state, subject_email, requester_email, language, received_at, "
            + "verified_at, due_at, closed_at, thread_message_id, thread_references, agent_email, source_system, source_ticket_id, policy, account_id, region";
    private static final RowMapper<DsrCase> MAPPER = CaseStore::map;

    private final JdbcTemplate jdbc;
    private final AuditLog audit;
    private final Outbox outbox;
    private final ApplicationEventPublisher listeners;
    private final Deadlines deadlines;

    public CaseStore(JdbcTemplate jdbc, AuditLog audit, Outbox outbox, ApplicationEventPublisher listeners, Deadlines deadlines) {
        this.deadlines = deadlines;
        this.jdbc = jdbc;
        this.audit = audit;
        this.outbox = outbox;
        this.listeners = listeners;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public DsrCase create(CaseType type, Channel channel, String subjectEmail, String requesterEmail, String language, String actor) {
        return create(type, channel, subjectEmail, requesterEmail, language, CaseOrigin.NONE, actor);
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public DsrCase create(CaseType type, Channel channel, String subjectEmail, String requesterEmail, String language, CaseOrigin origin,
                          String actor) {
        String id = Ulid.next();
        Instant now = Instant.now();
        String policy = deadlines.choose(channel.name(), null, language);
        jdbc.update("insert into dsr_case (id, type, channel, state, subject_email, requester_email, language, received_at, "
                        + "agent_email, source_system, source_ticket_id, thread_message_id, thread_references, policy) "
                        + "values (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                id, type.name(), channel.name(), CaseState.RECEIVED.name(), subjectEmail, requesterEmail, language, Timestamp.from(now),
                origin.agentEmail(), origin.sourceSystem(), origin.sourceTicketId(), origin.threadMessageId(),
                origin.threadReferences(), policy);
        jdbc.update("insert into case_transition (case_id, from_state, to_state, at, actor) values (?,?,?,?,?)",
                id, null, CaseState.RECEIVED.name(), Timestamp.from(now), actor);
        refreshDue(id);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("type", type.name());
        detail.put("channel", channel.name());
        detail.put("language", language);
        detail.put("policy", policy);
        if (origin.sourceSystem() != null) {
            detail.put("source", origin.sourceSystem());
            detail.put("ticket", origin.sourceTicketId());
        }
        if (origin.agentEmail() != null) {
            detail.put("agent", origin.agentEmail());
        }
        audit.append(id, actor, "case.received", detail);
        DsrCase created = get(id);
        publish(created, null, null, now);
        return created;
    }

    public Optional<DsrCase> find(String id) {
        if (!Ulid.isValid(id)) {
            return Optional.empty();
        }
        return jdbc.query("select " + COLUMNS + " from dsr_case where id = ?", MAPPER, id).stream().findFirst();
    }

    public DsrCase get(String id) {
        return find(id).orElseThrow(() -> new CaseNotFoundException(id));
    }

    /** Many cases in one query, by id; an id that names no case is left out. */
    public Map<String, DsrCase> getAll(java.util.Collection<String> ids) {
        Map<String, DsrCase> found = new LinkedHashMap<>();
        if (!ids.isEmpty()) {
            jdbc.query("select " + COLUMNS + " from dsr_case where id = any(?)", MAPPER, (Object) ids.toArray(new String[0]))
                    .forEach(c -> found.put(c.id(), c));
        }
        return found;
    }

    /**
     * A move in one round trip: the case's state as it is and since when (for the stage timer), the
     * conditional update, the history row and the lifecycle event ({@link #publish} writes the same
     * event for a new case). The update only happens while the case is still in the state read, and
     * that state may move to the target; otherwise nothing is written.
     */
    private static final String MOVE = "with was as (select d.id, d.state, "
            + "(select max(t.at) from case_transition t where t.case_id = d.id and t.to_state = d.state) as state_since "
            + "from dsr_case d where d.id = ?), "
            + "moved as (update dsr_case d set state = ?, closed_at = ?, verified_at = coalesce(d.verified_at, ?) from was c "
            + "where d.id = c.id and d.state = c.state and c.state = any (?) "
            + "returning " + java.util.Arrays.stream(COLUMNS.split(", ")).map(c -> "d." + c).collect(java.util.stream.Collectors.joining(", "))
            + ", c.state as from_state, c.state_since), "
            + "hist as (insert into case_transition (case_id, from_state, to_state, at, actor, reason) "
            + "select id, from_state, state, ?, ?, ? from moved), "
            + "ev as (insert into outbox (case_id, kind, payload, created_at, next_attempt_at) "
            + "select id, 'EVENT', format('{\"version\":1,\"caseId\":%s,\"type\":%s,\"channel\":%s,\"from\":%s,\"state\":%s,\"at\":%s}', "
            + "to_json(id), to_json(type), to_json(channel), to_json(from_state), to_json(state), to_json(?::text)), ?, ? from moved) "
            + "select * from moved";

    /** Moves a case, refusing any move the state machine does not allow from the state it is in now. */
    @Transactional(propagation = Propagation.MANDATORY)
    public DsrCase transition(String id, CaseState to, String actor, String reason) {
        return move(id, to, actor, reason, null);
    }

    /** The move; {@code verifiedAt}, when given, is stored as the case's verification unless it has one already. */
    private DsrCase move(String id, CaseState to, String actor, String reason, Instant verifiedAt) {
        if (!Ulid.isValid(id)) {
            throw new CaseNotFoundException(id);
        }
        Instant now = Instant.now();
        Timestamp at = Timestamp.from(now);
        String[] from = MAY_MOVE_TO.get(to);
        List<Move> moves = jdbc.query(MOVE, ps -> {
            ps.setString(1, id);
            ps.setString(2, to.name());
            ps.setTimestamp(3, to.isClosed() ? at : null);
            ps.setTimestamp(4, verifiedAt == null ? null : Timestamp.from(verifiedAt));
            ps.setArray(5, ps.getConnection().createArrayOf("varchar", from));
            ps.setTimestamp(6, at);
            ps.setString(7, actor);
            ps.setString(8, reason);
            ps.setString(9, now.toString());
            ps.setTimestamp(10, at);
            ps.setTimestamp(11, at);
        }, (rs, i) -> new Move(map(rs, i), CaseState.valueOf(rs.getString("from_state")), sinceOf(rs)));
        if (moves.isEmpty()) {
            // not moved: no such case, a state that cannot move there, or another worker moved it first
            DsrCase current = get(id);
            throw new IllegalTransitionException(id, current.state(), to);
        }
        Move move = moves.get(0);
        DsrCase moved = move.moved();
        if (Deadlines.clockMayMove(move.from().name(), to.name())) {
            moved = moved.withDueAt(refreshDue(id));
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("from", move.from().name());
        detail.put("to", to.name());
        if (reason != null) {
            detail.put("reason", reason);
        }
        audit.append(id, actor, "case.transition", detail);
        listeners.publishEvent(new CaseMoved(moved, move.from(), move.fromSince(), now));
        return moved;
    }

    private record Move(DsrCase moved, CaseState from, Instant fromSince) {
    }

    /** For each state, the states a case may move to it from (the state machine's, worked out once). */
    private static final Map<CaseState, String[]> MAY_MOVE_TO = new java.util.EnumMap<CaseState, String[]>(java.util.Arrays.stream(CaseState.values())
            .collect(java.util.stream.Collectors.<CaseState, CaseState, String[]>toMap(to -> to, to -> java.util.Arrays.stream(CaseState.values())
                    .filter(s -> s.canMoveTo(to)).map(CaseState::name).toArray(String[]::new))));

    private static Instant sinceOf(ResultSet rs) throws SQLException {
        Timestamp since = rs.getTimestamp("state_since");
        return since == null ? null : since.toInstant();
    }

    /** A lifecycle event for other systems (ticket tools, dashboards): states and dates only, no personal data. */
    private void publish(DsrCase c, CaseState from, Instant fromSince, Instant at) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", 1);
        event.put("caseId", c.id());
        event.put("type", c.type().name());
        event.put("channel", c.channel().name());
        event.put("from", from == null ? null : from.name());
        event.put("state", c.state().name());
        event.put("at", at.toString());
        outbox.enqueueEvent(c.id(), event);
        listeners.publishEvent(new CaseMoved(c, from, fromSince, at));
    }

    /** The open cases (any state but a closed one) of this person, oldest first. */
    public List<DsrCase> openCases(String subjectEmail) {
        return jdbc.query("select " + COLUMNS + " from dsr_case where subject_email = ? and closed_at is null order by received_at, id",
                MAPPER, subjectEmail);
    }

    /**
     * Serialises intake for one person until the caller's transaction ends, so two requests of the
     * same person arriving at once cannot both open a case.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void lockSubject(String subjectEmail) {
        jdbc.query("select pg_advisory_xact_lock(?)", rs -> null, (long) subjectEmail.hashCode() << 16 | 0x5D5L);
    }

    /** Sets the kind of request once the person has chosen it. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void decideType(String id, CaseType type) {
        int updated = jdbc.update("update dsr_case set type = ? where id = ? and type = ?", type.name(), id, CaseType.UNDECIDED.name());
        if (updated != 1) {
            throw new IllegalStateException("case " + id + " has its type already");
        }
    }

    /**
     * Records the account the case was matched to (or how the lookup ended) and lets the account's
     * region choose the deadline policy.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public DsrCase linkAccount(String id, String outcome, org.dsrflow.connector.IdentitySource.Account account) {
        DsrCase c = get(id);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("outcome", outcome);
        if (account != null) {
            String policy = deadlines.choose(c.channel().name(), account.region(), c.language());
            jdbc.update("update dsr_case set account_system = ?, account_id = ?, region = ?, policy = ? where id = ?",
                    account.system(), account.accountId(), account.region(), policy, id);
            detail.put("system", account.system());
            detail.put("account", account.accountId());
            if (account.region() != null) {
                detail.put("region", account.region());
            }
            detail.put("policy", policy);
            refreshDue(id);
        }
        audit.append(id, "intake", "identity.looked-up", detail);
        return get(id);
    }

    /** Records verification and starts the response clock. */
    @Transactional(propagation = Propagation.MANDATORY)
    public DsrCase markVerified(String id, Instant verifiedAt, String actor) {
        // the verification is stored by the move itself (one round trip less); the move to VERIFIED
        // stores the due date the clock gives from now on
        return move(id, CaseState.VERIFIED, actor, "identity verified", verifiedAt);
    }

    /**
     * Stores when the case's reply is due under its policy, from its history as it is now, and
     * returns it. Called on every move that can change it ({@link Deadlines#clockMayMove}); a case
     * still waiting on the requester under a policy that pauses shows the date it would have if the
     * wait ended now, and moves on when it does.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Instant refreshDue(String id) {
        Instant due = deadlines.dueOf(id).map(d -> d.truncatedTo(java.time.temporal.ChronoUnit.MICROS)).orElse(null);
        jdbc.update("update dsr_case set due_at = ? where id = ?", due == null ? null : Timestamp.from(due), id);
        return due;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void setThreadMessageId(String id, String messageId) {
        DsrCase c = get(id);
        List<String> refs = new java.util.ArrayList<>(c.references());
        refs.remove(messageId);
        String joined = String.join(" ", refs);
        // keep the references header readable: the first and the most recent ones matter to mail clients
        while (joined.length() > 3900 && refs.size() > 2) {
            refs.remove(1);
            joined = String.join(" ", refs);
        }
        jdbc.update("update dsr_case set thread_message_id = ?, thread_references = ? where id = ?", messageId,
                joined.isEmpty() ? null : joined, id);
    }

    public List<CaseTransition> history(String id) {
        return jdbc.query("select from_state, to_state, at, actor, reason from case_transition where case_id = ? order by id",
                (rs, i) -> new CaseTransition(
                        rs.getString("from_state") == null ? null : CaseState.valueOf(rs.getString("from_state")),
                        CaseState.valueOf(rs.getString("to_state")), rs.getTimestamp("at").toInstant(),
                        rs.getString("actor"), rs.getString("reason")),
                id);
    }

    /**
     * Claims up to {@code limit} cases in the given states for this worker for a lease period.
     * {@code SKIP LOCKED} lets several instances claim side by side without waiting on each other;
     * an expired lease (a crashed worker) makes the case claimable again. One statement: outside a
     * transaction it is its own (one round trip, no separate commit).
     */
    public List<String> claim(List<CaseState> states, String worker, Duration lease, int limit) {
        String placeholders = String.join(",", states.stream().map(s -> "?").toList());
        Object[] args = new Object[states.size() + 4];
        args[0] = worker;
        args[1] = Timestamp.from(Instant.now().plus(lease));
        for (int i = 0; i < states.size(); i++) {
            args[2 + i] = states.get(i).name();
        }
        args[states.size() + 2] = Timestamp.from(Instant.now());
        args[states.size() + 3] = limit;
        return jdbc.queryForList("update dsr_case set claimed_by = ?, claim_until = ? where id in ("
                + "select id from dsr_case where state in (" + placeholders + ") and (claim_until is null or claim_until < ?) "
                + "order by verified_at nulls last, id limit ? for update skip locked) returning id", String.class, args);
    }

    /**
     * Holds the case's row until the surrounding transaction ends, so a release and a wake-up cannot
     * cross; returns the state the case is in, or null when there is no such case.
     */
    public CaseState lock(String id) {
        List<String> state = jdbc.queryForList("select state from dsr_case where id = ? for update", String.class, id);
        return state.isEmpty() ? null : CaseState.valueOf(state.get(0));
    }

    /**
     * Makes a case waiting on systems that nobody is working on claimable now (an answer it waited
     * for arrived). A case being worked on is left alone: its worker looks at the tasks again when
     * it lets go; a case that needs attention keeps its own schedule (a retry delay, or an operator).
     * One statement, a transaction of its own when called outside one.
     */
    public void wake(String id) {
        if (jdbc.update("update dsr_case set claim_until = null where id = ? and claimed_by is null and state = 'WAITING_ON_SYSTEMS'", id) > 0) {
            listeners.publishEvent(new CaseWoken(id));
        }
    }

    /**
     * Extends the leases this worker still holds (a long fan-out outlives one lease); returns the ids
     * it no longer holds — another worker took them after a lease ran out.
     */
    @Transactional
    public List<String> renew(java.util.Collection<String> ids, String worker, Duration lease) {
        if (ids.isEmpty()) {
            return List.of();
        }
        java.util.Set<String> kept = new java.util.HashSet<>(jdbc.queryForList("update dsr_case set claim_until = ? where id = any(?) "
                + "and claimed_by = ? returning id", String.class, Timestamp.from(Instant.now().plus(lease)), ids.toArray(new String[0]), worker));
        List<String> missed = ids.stream().filter(id -> !kept.contains(id)).toList();
        if (missed.isEmpty()) {
            return missed;
        }
        // a case this worker released while the renewal ran is not held by anyone: only another holder counts
        return jdbc.queryForList("select id from dsr_case where id = any(?) and claimed_by is not null and claimed_by <> ?", String.class,
                missed.toArray(new String[0]), worker);
    }

    /**
     * Gives back a case this worker claimed; false when another worker holds it now (this one's lease
     * ran out), in which case nothing changes.
     */
    @Transactional
    public boolean release(String id, String worker, Duration holdFor) {
        Timestamp until = holdFor.isZero() ? null : Timestamp.from(Instant.now().plus(holdFor));
        return jdbc.update("update dsr_case set claimed_by = null, claim_until = ? where id = ? and claimed_by = ?", until, id, worker) == 1;
    }

    /**
     * Gives back a case this worker claimed, in one statement, unless it waits on systems or needs
     * attention (those are let go with a look at their tasks, under the case's lock); false when it
     * was not let go here.
     */
    public boolean releaseUnlessWaiting(String id, String worker) {
        return jdbc.update("update dsr_case set claimed_by = null, claim_until = null where id = ? and claimed_by = ? "
                + "and state not in ('WAITING_ON_SYSTEMS', 'NEEDS_ATTENTION')", id, worker) == 1;
    }

    /** Gives a case back whoever holds it (an operator's retry); {@code holdFor} keeps others from claiming it for a while. */
    @Transactional
    public void release(String id, Duration holdFor) {
        if (holdFor.isZero()) {
            jdbc.update("update dsr_case set claimed_by = null, claim_until = null where id = ?", id);
        } else {
            jdbc.update("update dsr_case set claimed_by = null, claim_until = ? where id = ?", Timestamp.from(Instant.now().plus(holdFor)), id);
        }
    }

    private static DsrCase map(ResultSet rs, int row) throws SQLException {
        return new DsrCase(rs.getString("id"), CaseType.valueOf(rs.getString("type")), Channel.valueOf(rs.getString("channel")),
                CaseState.valueOf(rs.getString("state")), rs.getString("subject_email"), rs.getString("requester_email"),
                rs.getString("language"), instant(rs, "received_at"), instant(rs, "verified_at"), instant(rs, "due_at"),
                instant(rs, "closed_at"), rs.getString("thread_message_id"), rs.getString("thread_references"),
                rs.getString("agent_email"), rs.getString("source_system"), rs.getString("source_ticket_id"), rs.getString("policy"),
                rs.getString("account_id"), rs.getString("region"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
