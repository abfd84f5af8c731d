-- dsrflow's own copies of personal data are purged some time after a case closes (docs/security.md);
-- the case keeps its dates, states and counts for reports, and records when it was redacted.
alter table dsr_case add column redacted_at timestamptz;
create index dsr_case_redact_idx on dsr_case (closed_at) where redacted_at is null and closed_at is not null;
