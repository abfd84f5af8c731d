-- Systems that answer later (a remote service over Kafka, a person for a manual system) are sent a
-- task under a stable reference and answer under it; the reference is fixed when the task is created.
alter table connector_task add column task_ref varchar(40);
update connector_task set task_ref = case_id || '-' || system where task_ref is null;
alter table connector_task alter column task_ref set not null;
create unique index connector_task_ref_idx on connector_task (task_ref);

-- Records of a remote export, kept until the closing result arrives and the export is assembled.
create table remote_chunk (
    task_id     varchar(120) not null,
    seq         integer      not null,
    dataset     varchar(200) not null,
    body        text         not null,
    received_at timestamptz  not null default now(),
    primary key (task_id, seq)
);
