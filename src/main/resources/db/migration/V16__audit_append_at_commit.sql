-- Audit entries are written when their transaction commits: all the entries of one transaction in
-- one call, just before the commit. The chain's lock is taken here, so a transaction holds it only
-- for this statement and its commit, not for everything it did after its first entry.
--
-- Each entry is linked to the row before it and hashed here, exactly as AuditLog.hash does in the
-- application (which verify() uses to recompute every row): SHA-256, in lower-case hex, of the
-- sequence number, the case id (empty when none), the time as the application wrote it, actor,
-- action, detail and the previous hash, joined by U+001F. AuditLogTests checks that both agree.
--
-- The function is volatile: the statement that reads the last row takes its snapshot after the
-- lock is granted, so it sees the row the previous holder committed.
create function audit_append(lock_key bigint, case_ids varchar[], at_texts text[], actors varchar[], actions varchar[],
                             details text[])
    returns table (entry_seq bigint, entry_hash char(64))
    language plpgsql volatile as $$
declare
    last_seq  bigint;
    last_hash text;
    next_hash text;
begin
    perform pg_advisory_xact_lock(lock_key);
    select a.seq, a.hash into last_seq, last_hash from audit_log a order by a.seq desc limit 1;
    if last_seq is null then
        last_seq := 0;
        last_hash := repeat('0', 64);
    end if;
    for i in 1 .. coalesce(array_length(at_texts, 1), 0) loop
        next_hash := encode(sha256(convert_to(concat_ws(chr(31), (last_seq + 1)::text, coalesce(case_ids[i], ''), at_texts[i],
                                                        actors[i], actions[i], details[i], last_hash), 'UTF8')), 'hex');
        insert into audit_log (seq, case_id, at, actor, action, detail, prev_hash, hash)
        values (last_seq + 1, case_ids[i], at_texts[i]::timestamptz, actors[i], actions[i], details[i], last_hash, next_hash);
        last_seq := last_seq + 1;
        last_hash := next_hash;
        entry_seq := last_seq;
        entry_hash := next_hash;
        return next;
    end loop;
end
$$;

-- V15's audit_chain_head is no longer called by this version, but it stays: during a rolling
-- upgrade the instances still running the previous version append with it, under the same lock,
-- so the chain stays one line whichever version writes.
