-- The case store: every request, its history, its per-system tasks, the mail/event
-- outbox and the hash-chained audit log. Written first, acted on second.

create table dsr_case (
    id                varchar(26)  primary key,        -- ULID, also the reference shown to people
    type              varchar(16)  not null,
    channel           varchar(16)  not null,
    state             varchar(32)  not null,
    subject_email     varchar(254) not null,
    requester_email   varchar(254) not null,
    language          varchar(5)   not null,
    received_at       timestamptz  not null,
    verified_at       timestamptz,
    due_at            timestamptz,
    closed_at         timestamptz,
    thread_message_id varchar(255),
    claimed_by        varchar(64),
    claim_until       timestamptz
);
create index dsr_case_state_idx on dsr_case (state);

create table case_transition (
    id         bigserial    primary key,
    case_id    varchar(26)  not null references dsr_case (id),
    from_state varchar(32),
    to_state   varchar(32)  not null,
    at         timestamptz  not null,
    actor      varchar(64)  not null,
    reason     varchar(500)
);
create index case_transition_case_idx on case_transition (case_id, id);

create table verification (
    case_id          varchar(26) primary key references dsr_case (id),
    code_hash        varchar(64) not null,
    token_hash       varchar(64) not null unique,
    expires_at       timestamptz not null,
    failed_attempts  int         not null default 0,
    confirmed_at     timestamptz
);

create table connector_task (
    id          bigserial   primary key,
    case_id     varchar(26) not null references dsr_case (id),
    system      varchar(64) not null,
    action      varchar(16) not null,
    state       varchar(16) not null,
    attempts    int         not null default 0,
    started_at  timestamptz,
    finished_at timestamptz,
    result      text,
    error       varchar(2000),
    unique (case_id, system)
);

create table export_package (
    case_id     varchar(26)  primary key references dsr_case (id),
    path        varchar(1000) not null,
    token_hash  varchar(64)  not null unique,
    size_bytes  bigint       not null,
    created_at  timestamptz  not null,
    expires_at  timestamptz  not null,
    downloads   int          not null default 0
);

create table outbox (
    id              bigserial    primary key,
    case_id         varchar(26)  references dsr_case (id),
    kind            varchar(16)  not null,
    payload         text         not null,
    created_at      timestamptz  not null,
    next_attempt_at timestamptz  not null,
    attempts        int          not null default 0,
    sent_at         timestamptz,
    last_error      varchar(2000)
);
create index outbox_due_idx on outbox (next_attempt_at) where sent_at is null;
create index outbox_case_order_idx on outbox (case_id, kind, id) where sent_at is null;

create table audit_log (
    seq       bigint       primary key,
    case_id   varchar(26),
    at        timestamptz  not null,
    actor     varchar(64)  not null,
    action    varchar(64)  not null,
    detail    text         not null,
    prev_hash char(64)     not null,
    hash      char(64)     not null
);
