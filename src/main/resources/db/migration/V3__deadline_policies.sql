-- Each case answers to one deadline policy, chosen when it is received; cases from before
-- policies existed were promised fifteen days after verification.
alter table dsr_case add column policy varchar(32);
update dsr_case set policy = 'cn-15' where policy is null;
alter table dsr_case alter column policy set not null;

-- Extensions granted on a case, each with who granted it and why (also in the audit log).
create table deadline_extension (
    id        bigserial    primary key,
    case_id   varchar(26)  not null references dsr_case (id),
    amount    int          not null check (amount > 0),
    unit      varchar(16)  not null,
    reason    varchar(1000) not null,
    actor     varchar(64)  not null,
    at        timestamptz  not null
);
create index deadline_extension_case_idx on deadline_extension (case_id, id);
