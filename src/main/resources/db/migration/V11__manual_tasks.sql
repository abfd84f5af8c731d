-- Tasks mailed to the owner of a system nobody can automate. The owner answers through a signed
-- link; the row keeps what the page must show and when the task was sent (for reminders).
create table manual_task (
    task_id        varchar(120) primary key,
    system         varchar(100) not null,
    case_id        varchar(26)  references dsr_case (id),
    action         varchar(16)  not null,
    subject_email  varchar(254) not null,
    deadline       timestamptz,
    sent_count     integer      not null default 1,
    first_sent_at  timestamptz  not null,
    last_sent_at   timestamptz  not null,
    answered_at    timestamptz,
    answered_by    varchar(254)
);
