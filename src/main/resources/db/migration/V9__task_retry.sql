-- Whether a failed task is retried by itself (a system down or slow) or waits for an operator
-- (a permanent error: a schema that no longer matches, records still findable after erasure).
alter table connector_task add column retriable boolean not null default true;
