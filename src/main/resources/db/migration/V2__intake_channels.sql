-- Intake by mail and by ticket: where a case came from, who forwarded it, how to thread replies,
-- every request that joined it, what could not be read, and what was already taken in.

alter table dsr_case add column agent_email       varchar(254);
alter table dsr_case add column source_system     varchar(32);
alter table dsr_case add column source_ticket_id  varchar(128);
alter table dsr_case add column thread_references varchar(4000);
create index dsr_case_open_subject_idx on dsr_case (subject_email) where closed_at is null;

-- Every request that reached a case: the first one and each one that joined it later.
-- source_ref is unique, so the same ticket or mail delivered twice is recognised.
create table case_request (
    id           bigserial    primary key,
    case_id      varchar(26)  not null references dsr_case (id),
    channel      varchar(16)  not null,
    source_ref   varchar(1000) unique,
    requested    varchar(16)  not null,
    outcome      varchar(16)  not null,
    agent_email  varchar(254),
    received_at  timestamptz  not null
);
create index case_request_case_idx on case_request (case_id, id);

-- A request whose intent was unclear waits for the person to choose; the choice links carry a token.
create table clarification (
    case_id     varchar(26) primary key references dsr_case (id),
    token_hash  varchar(64) not null unique,
    expires_at  timestamptz not null,
    chosen_at   timestamptz,
    chosen_type varchar(16)
);

-- Keys of inbound messages already taken in (mail Message-IDs), written in the same transaction
-- as what the message caused: a message is processed once, even across restarts and instances.
create table inbound_message (
    channel     varchar(16)   not null,
    message_key varchar(1000) not null,
    first_seen  timestamptz   not null,
    primary key (channel, message_key)
);

-- What could not be read or trusted, kept with the reason for a person to look at. Content is
-- kept only up to a size limit (larger items stay in the mailbox's quarantine folder).
create table quarantine (
    id           bigserial     primary key,
    channel      varchar(16)   not null,
    source       varchar(64),
    external_key varchar(1000),
    reason       varchar(500)  not null,
    received_at  timestamptz   not null,
    size_bytes   bigint,
    sha256       char(64),
    content      bytea
);
