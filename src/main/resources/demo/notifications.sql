-- Demo system 'notifications': a service run by another team that answers dsrflow over Kafka.
-- Push subscriptions per device, the notifications delivered, and consent records kept as proof.

create table subscriptions (
    subscription_id bigint primary key,
    email           varchar(255) not null,
    device_name     varchar(120) not null,
    push_token      varchar(200) not null,
    created_at      timestamptz not null
);
create index subscriptions_email_idx on subscriptions (lower(email));

create table deliveries (
    delivery_id     bigint primary key,
    subscription_id bigint not null references subscriptions (subscription_id),
    title           varchar(200) not null,
    delivered_at    timestamptz not null
);

create table consents (
    consent_id   bigint primary key,
    email        varchar(255) not null,
    purpose      varchar(120) not null,
    given_at     timestamptz not null
);
create index consents_email_idx on consents (lower(email));

insert into subscriptions values
    (1, 'alice.chen@example.com', 'Pixel 8', 'tok-0001-00000', timestamp '2025-01-10 09:00:00+00'),
    (2, 'li.wei@example.cn', 'iPhone 15', 'tok-0002-07919', timestamp '2025-02-10 09:00:00+00'),
    (3, 'li.wei@example.cn', 'Firefox on Linux', 'tok-0003-07920', timestamp '2025-02-11 09:00:00+00'),
    (4, 'emma.walker@example.com', 'Firefox on Linux', 'tok-0004-15838', timestamp '2025-03-10 09:00:00+00'),
    (5, 'wang.fang@example.cn', 'Huawei Mate 60', 'tok-0005-23757', timestamp '2025-04-10 09:00:00+00'),
    (6, 'wang.fang@example.cn', 'Chrome on Windows', 'tok-0006-23758', timestamp '2025-04-11 09:00:00+00'),
    (7, 'oliver.turner@example.net', 'Chrome on Windows', 'tok-0007-31676', timestamp '2025-05-10 09:00:00+00'),
    (8, 'zhang.min@example.cn', 'Xiaomi 14', 'tok-0008-39595', timestamp '2025-06-10 09:00:00+00'),
    (9, 'zhang.min@example.cn', 'Pixel 8', 'tok-0009-39596', timestamp '2025-06-11 09:00:00+00'),
    (10, 'mia.price@example.com', 'Pixel 8', 'tok-0010-47514', timestamp '2025-07-10 09:00:00+00'),
    (11, 'hu.jun@example.cn', 'iPhone 15', 'tok-0011-55433', timestamp '2025-08-10 09:00:00+00'),
    (12, 'hu.jun@example.cn', 'Firefox on Linux', 'tok-0012-55434', timestamp '2025-08-11 09:00:00+00'),
    (13, 'samuel.webb@example.net', 'Firefox on Linux', 'tok-0013-63352', timestamp '2025-09-10 09:00:00+00'),
    (14, 'ruby.reid@example.com', 'Huawei Mate 60', 'tok-0014-71271', timestamp '2025-01-10 09:00:00+00'),
    (15, 'ruby.reid@example.com', 'Chrome on Windows', 'tok-0015-71272', timestamp '2025-01-11 09:00:00+00'),
    (16, 'lin.na@example.cn', 'Chrome on Windows', 'tok-0016-79190', timestamp '2025-02-10 09:00:00+00'),
    (17, 'jacob.barnes@example.net', 'Xiaomi 14', 'tok-0017-87109', timestamp '2025-03-10 09:00:00+00'),
    (18, 'jacob.barnes@example.net', 'Pixel 8', 'tok-0018-87110', timestamp '2025-03-11 09:00:00+00');

insert into deliveries values
    (1, 1, 'Your invoice is ready', timestamp '2026-01-20 10:00:00+00'),
    (2, 1, 'Scheduled maintenance tonight', timestamp '2026-02-21 10:01:00+00'),
    (3, 2, 'Scheduled maintenance tonight', timestamp '2026-02-20 10:00:00+00'),
    (4, 2, 'New sign-in from a new device', timestamp '2026-03-21 10:01:00+00'),
    (5, 2, 'Your backup finished', timestamp '2026-04-22 10:02:00+00'),
    (6, 3, 'Scheduled maintenance tonight', timestamp '2026-02-20 10:00:00+00'),
    (7, 3, 'New sign-in from a new device', timestamp '2026-03-21 10:01:00+00'),
    (8, 3, 'Your backup finished', timestamp '2026-04-22 10:02:00+00'),
    (9, 3, '账单已生成', timestamp '2026-05-23 10:03:00+00'),
    (10, 4, 'New sign-in from a new device', timestamp '2026-03-20 10:00:00+00'),
    (11, 4, 'Your backup finished', timestamp '2026-04-21 10:01:00+00'),
    (12, 4, '账单已生成', timestamp '2026-05-22 10:02:00+00'),
    (13, 4, '系统维护通知', timestamp '2026-06-23 10:03:00+00'),
    (14, 5, 'Your backup finished', timestamp '2026-04-20 10:00:00+00'),
    (15, 5, '账单已生成', timestamp '2026-05-21 10:01:00+00'),
    (16, 6, 'Your backup finished', timestamp '2026-04-20 10:00:00+00'),
    (17, 6, '账单已生成', timestamp '2026-05-21 10:01:00+00'),
    (18, 6, '系统维护通知', timestamp '2026-06-22 10:02:00+00'),
    (19, 7, '账单已生成', timestamp '2026-05-20 10:00:00+00'),
    (20, 7, '系统维护通知', timestamp '2026-06-21 10:01:00+00'),
    (21, 7, 'Your invoice is ready', timestamp '2026-07-22 10:02:00+00'),
    (22, 8, '系统维护通知', timestamp '2026-06-20 10:00:00+00'),
    (23, 8, 'Your invoice is ready', timestamp '2026-07-21 10:01:00+00'),
    (24, 8, 'Scheduled maintenance tonight', timestamp '2026-08-22 10:02:00+00'),
    (25, 8, 'New sign-in from a new device', timestamp '2026-09-23 10:03:00+00'),
    (26, 9, '系统维护通知', timestamp '2026-06-20 10:00:00+00'),
    (27, 9, 'Your invoice is ready', timestamp '2026-07-21 10:01:00+00'),
    (28, 10, 'Your invoice is ready', timestamp '2026-07-20 10:00:00+00'),
    (29, 10, 'Scheduled maintenance tonight', timestamp '2026-08-21 10:01:00+00'),
    (30, 11, 'Scheduled maintenance tonight', timestamp '2026-08-20 10:00:00+00'),
    (31, 11, 'New sign-in from a new device', timestamp '2026-09-21 10:01:00+00'),
    (32, 11, 'Your backup finished', timestamp '2026-01-22 10:02:00+00'),
    (33, 12, 'Scheduled maintenance tonight', timestamp '2026-08-20 10:00:00+00'),
    (34, 12, 'New sign-in from a new device', timestamp '2026-09-21 10:01:00+00'),
    (35, 12, 'Your backup finished', timestamp '2026-01-22 10:02:00+00'),
    (36, 12, '账单已生成', timestamp '2026-02-23 10:03:00+00'),
    (37, 13, 'New sign-in from a new device', timestamp '2026-09-20 10:00:00+00'),
    (38, 13, 'Your backup finished', timestamp '2026-01-21 10:01:00+00'),
    (39, 13, '账单已生成', timestamp '2026-02-22 10:02:00+00'),
    (40, 13, '系统维护通知', timestamp '2026-03-23 10:03:00+00'),
    (41, 14, 'Your backup finished', timestamp '2026-01-20 10:00:00+00'),
    (42, 14, '账单已生成', timestamp '2026-02-21 10:01:00+00'),
    (43, 15, 'Your backup finished', timestamp '2026-01-20 10:00:00+00'),
    (44, 15, '账单已生成', timestamp '2026-02-21 10:01:00+00'),
    (45, 15, '系统维护通知', timestamp '2026-03-22 10:02:00+00'),
    (46, 16, '账单已生成', timestamp '2026-02-20 10:00:00+00'),
    (47, 16, '系统维护通知', timestamp '2026-03-21 10:01:00+00'),
    (48, 16, 'Your invoice is ready', timestamp '2026-04-22 10:02:00+00'),
    (49, 17, '系统维护通知', timestamp '2026-03-20 10:00:00+00'),
    (50, 17, 'Your invoice is ready', timestamp '2026-04-21 10:01:00+00'),
    (51, 17, 'Scheduled maintenance tonight', timestamp '2026-05-22 10:02:00+00'),
    (52, 17, 'New sign-in from a new device', timestamp '2026-06-23 10:03:00+00'),
    (53, 18, '系统维护通知', timestamp '2026-03-20 10:00:00+00'),
    (54, 18, 'Your invoice is ready', timestamp '2026-04-21 10:01:00+00');

insert into consents values
    (1, 'alice.chen@example.com', 'service notifications', timestamp '2025-01-10 08:00:00+00'),
    (2, 'li.wei@example.cn', 'service notifications', timestamp '2025-02-10 08:00:00+00'),
    (3, 'emma.walker@example.com', 'service notifications', timestamp '2025-03-10 08:00:00+00'),
    (4, 'wang.fang@example.cn', 'service notifications', timestamp '2025-04-10 08:00:00+00'),
    (5, 'oliver.turner@example.net', 'service notifications', timestamp '2025-05-10 08:00:00+00'),
    (6, 'zhang.min@example.cn', 'service notifications', timestamp '2025-06-10 08:00:00+00'),
    (7, 'mia.price@example.com', 'service notifications', timestamp '2025-07-10 08:00:00+00'),
    (8, 'hu.jun@example.cn', 'service notifications', timestamp '2025-08-10 08:00:00+00'),
    (9, 'samuel.webb@example.net', 'service notifications', timestamp '2025-09-10 08:00:00+00'),
    (10, 'ruby.reid@example.com', 'service notifications', timestamp '2025-01-10 08:00:00+00'),
    (11, 'lin.na@example.cn', 'service notifications', timestamp '2025-02-10 08:00:00+00'),
    (12, 'jacob.barnes@example.net', 'service notifications', timestamp '2025-03-10 08:00:00+00');
