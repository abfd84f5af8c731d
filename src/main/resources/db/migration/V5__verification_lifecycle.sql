-- When the current code was issued, how often the person asked for a new one, and whether the
-- reminder went out: the code lives 72 hours, a reminder follows after 24, an unverified case
-- expires after a configurable number of days.
alter table verification add column issued_at timestamptz;
update verification set issued_at = now() where issued_at is null;
alter table verification alter column issued_at set not null;
alter table verification add column resends int not null default 0;
alter table verification add column reminded_at timestamptz;
