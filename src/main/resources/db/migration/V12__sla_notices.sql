-- Reminders and escalations sent as a deadline approaches or passes: one per case, point and due
-- date (an extended deadline gets its own), so a sweep run twice, or by two instances, sends nothing twice.
create table sla_notice (
    case_id  varchar(26)  not null references dsr_case (id),
    point    varchar(40)  not null,
    due_at   timestamptz  not null,
    sent_at  timestamptz  not null,
    primary key (case_id, point, due_at)
);
