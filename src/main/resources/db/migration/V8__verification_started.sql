-- When the first code of a case went out: an unconfirmed request is closed a number of days after
-- this, not after its receipt (a request may wait for the person's choice before any code is sent).
alter table verification add column started_at timestamptz;
update verification set started_at = issued_at where started_at is null;
alter table verification alter column started_at set not null;
