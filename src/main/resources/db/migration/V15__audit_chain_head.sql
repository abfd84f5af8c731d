-- The first audit entry of a transaction takes the chain's lock and reads the chain's last row.
-- Two statements from the application would be two round trips; inside a function they are one.
-- The function is volatile, so its second statement takes a snapshot of its own after the lock is
-- granted and sees the row that the previous holder of the lock committed.
create function audit_chain_head(lock_key bigint) returns table (seq bigint, hash char(64))
    language plpgsql volatile as $$
begin
    perform pg_advisory_xact_lock(lock_key);
    return query select a.seq, a.hash from audit_log a order by a.seq desc limit 1;
end
$$;
