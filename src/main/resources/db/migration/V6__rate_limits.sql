-- Fixed-window counters for the public endpoints, shared by every instance. Buckets name the
-- endpoint and either the client IP or a keyed hash of the subject's address, never the address.
create table rate_counter (
    bucket       varchar(120) not null,
    window_start timestamptz  not null,
    hits         int          not null,
    primary key (bucket, window_start)
);
