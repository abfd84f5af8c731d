-- Demo system 'crm': contacts, support tickets and call notes.

create table contacts (
    contact_id         bigint primary key,
    email              varchar(255) not null,
    full_name          varchar(255),
    phone              varchar(64),
    company            varchar(255),
    preferred_language varchar(8),
    marketing_opt_in   boolean not null,
    created_at         timestamptz not null
);

create index contacts_email_idx on contacts (lower(email));

create table support_tickets (
    ticket_id  bigint primary key,
    contact_id bigint not null references contacts (contact_id),
    subject    varchar(255),
    body       text,
    status     varchar(32) not null,
    created_at timestamptz not null
);

create index support_tickets_contact_idx on support_tickets (contact_id);

create table call_notes (
    note_id      bigint primary key,
    contact_id   bigint not null references contacts (contact_id),
    ticket_id    bigint references support_tickets (ticket_id),
    agent_name   varchar(255),
    note         text,
    called_at    timestamptz not null,
    caller_phone varchar(64)
);

create index call_notes_contact_idx on call_notes (contact_id);

insert into contacts (contact_id, email, full_name, phone, company, preferred_language, marketing_opt_in, created_at) values
(3001, 'alice.chen@example.com', 'Alice Chen', '+1 555 0142', 'Chen Analytics Ltd', 'en', FALSE, '2025-10-18 10:00:00+00'),
(3002, 'li.wei@example.cn', '李伟', '+86 138 0000 0102', '伟业科技有限公司', 'zh', FALSE, '2025-10-19 10:00:00+00'),
(3003, 'zhang.min@example.cn', '张敏', '+86 139 0000 0104', NULL, 'zh', TRUE, '2025-10-20 10:00:00+00'),
(3004, 'oliver.turner@example.net', 'Oliver Turner', '+1 555 0151', NULL, 'en', FALSE, '2025-10-21 10:00:00+00'),
(3005, 'sophia.brooks@example.com', 'Sophia Brooks', '+1 555 0152', NULL, 'en', FALSE, '2025-10-22 10:00:00+00'),
(3006, 'mia.price@example.com', 'Mia Price', '+1 555 0154', 'Price & Co', 'en', TRUE, '2025-10-23 10:00:00+00'),
(3007, 'lucas.bennett@example.net', 'Lucas Bennett', '+1 555 0155', NULL, 'en', FALSE, '2025-10-24 10:00:00+00'),
(3008, 'henry.graham@example.net', 'Henry Graham', '+1 555 0157', NULL, 'en', FALSE, '2025-10-25 10:00:00+00'),
(3009, 'chloe.murray@example.com', 'Chloe Murray', '+1 555 0158', 'Murray & Co', 'en', TRUE, '2025-10-26 10:00:00+00'),
(3010, 'hannah.sutton@example.com', 'Hannah Sutton', '+1 555 0160', NULL, 'en', FALSE, '2025-10-27 10:00:00+00'),
(3011, 'samuel.webb@example.net', 'Samuel Webb', '+1 555 0161', NULL, 'en', FALSE, '2025-10-28 10:00:00+00'),
(3012, 'jacob.barnes@example.net', 'Jacob Barnes', '+1 555 0163', NULL, 'en', TRUE, '2025-10-29 10:00:00+00'),
(3013, 'ruby.reid@example.com', 'Ruby Reid', '+1 555 0164', NULL, 'en', FALSE, '2025-10-30 10:00:00+00'),
(3014, 'isla.lloyd@example.com', 'Isla Lloyd', '+1 555 0166', 'Lloyd & Co', 'en', FALSE, '2025-10-31 10:00:00+00'),
(3015, 'ethan.marsh@example.net', 'Ethan Marsh', '+1 555 0167', NULL, 'en', TRUE, '2025-11-01 10:00:00+00'),
(3016, 'wang.fang@example.cn', '王芳', '+86 139 0000 0200', '王氏贸易有限公司', 'zh', FALSE, '2025-11-02 10:00:00+00'),
(3017, 'chen.jing@example.cn', '陈静', '+86 139 0000 0202', NULL, 'zh', FALSE, '2025-11-03 10:00:00+00'),
(3018, 'zhao.li@example.cn', '赵丽', '+86 139 0000 0204', NULL, 'zh', TRUE, '2025-11-04 10:00:00+00'),
(3019, 'zhou.min@example.cn', '周敏', '+86 139 0000 0206', '周氏贸易有限公司', 'zh', FALSE, '2025-11-05 10:00:00+00'),
(3020, 'xu.ting@example.cn', '徐婷', '+86 139 0000 0208', NULL, 'zh', FALSE, '2025-11-06 10:00:00+00'),
(3021, 'ma.chao@example.cn', '马超', '+86 139 0000 0210', NULL, 'zh', TRUE, '2025-11-07 10:00:00+00'),
(3022, 'hu.jun@example.cn', '胡军', '+86 139 0000 0212', '胡氏贸易有限公司', 'zh', FALSE, '2025-11-08 10:00:00+00'),
(3023, 'he.ping@example.cn', '何平', '+86 139 0000 0214', NULL, 'zh', FALSE, '2025-11-09 10:00:00+00'),
(3024, 'lin.na@example.cn', '林娜', '+86 139 0000 0216', NULL, 'zh', TRUE, '2025-11-10 10:00:00+00');

insert into support_tickets (ticket_id, contact_id, subject, body, status, created_at) values
(6001, 3001, 'Cannot log in to the console', 'Since this morning I get ''session expired'' right after logging in. You can reach me at alice.chen@example.com or +1 555 0142.', 'closed', '2026-08-03 10:00:00+00'),
(6002, 3001, 'Question about OSS pricing', 'Is outbound traffic to our CDN billed separately?', 'open', '2026-08-23 10:00:00+00'),
(6003, 3002, '咨询存储费用', '请问跨地域复制的流量是否单独计费？ 联系人：李伟，电话 +86 138 0000 0102。', 'closed', '2026-08-03 10:00:00+00'),
(6004, 3002, '重复扣费申请退款', '同一台实例的续费被扣了两次，请核实并退款。', 'open', '2026-08-23 10:00:00+00'),
(6005, 3004, 'Invoice address is wrong', 'My last invoice shows an old company address. Could you reissue it with the new one?', 'closed', '2026-08-03 10:00:00+00'),
(6006, 3004, 'Cannot log in to the console', 'Since this morning I get ''session expired'' right after logging in.', 'open', '2026-08-23 10:00:00+00'),
(6007, 3005, 'Cannot log in to the console', 'Since this morning I get ''session expired'' right after logging in.', 'closed', '2026-08-03 10:00:00+00'),
(6008, 3007, 'Refund for duplicate order', 'I was charged twice for the same instance renewal.', 'closed', '2026-08-03 10:00:00+00'),
(6009, 3008, 'Invoice address is wrong', 'My last invoice shows an old company address. Could you reissue it with the new one?', 'closed', '2026-08-03 10:00:00+00'),
(6010, 3009, 'Cannot log in to the console', 'Since this morning I get ''session expired'' right after logging in.', 'closed', '2026-08-03 10:00:00+00'),
(6011, 3013, 'Cannot log in to the console', 'Since this morning I get ''session expired'' right after logging in.', 'closed', '2026-08-03 10:00:00+00'),
(6012, 3014, 'Question about OSS pricing', 'Is outbound traffic to our CDN billed separately?', 'closed', '2026-08-03 10:00:00+00'),
(6013, 3014, 'Refund for duplicate order', 'I was charged twice for the same instance renewal.', 'open', '2026-08-23 10:00:00+00'),
(6014, 3015, 'Refund for duplicate order', 'I was charged twice for the same instance renewal.', 'closed', '2026-08-03 10:00:00+00'),
(6015, 3015, 'Invoice address is wrong', 'My last invoice shows an old company address. Could you reissue it with the new one?', 'open', '2026-08-23 10:00:00+00'),
(6016, 3016, '发票抬头需要修改', '上个月的发票抬头写错了，请帮忙重新开具。', 'closed', '2026-08-03 10:00:00+00'),
(6017, 3016, '控制台无法登录', '今天早上开始登录控制台后立即提示会话过期。', 'open', '2026-08-23 10:00:00+00'),
(6018, 3018, '咨询存储费用', '请问跨地域复制的流量是否单独计费？', 'closed', '2026-08-03 10:00:00+00'),
(6019, 3018, '重复扣费申请退款', '同一台实例的续费被扣了两次，请核实并退款。', 'open', '2026-08-23 10:00:00+00'),
(6020, 3020, '发票抬头需要修改', '上个月的发票抬头写错了，请帮忙重新开具。', 'closed', '2026-08-03 10:00:00+00'),
(6021, 3021, '控制台无法登录', '今天早上开始登录控制台后立即提示会话过期。', 'closed', '2026-08-03 10:00:00+00'),
(6022, 3021, '咨询存储费用', '请问跨地域复制的流量是否单独计费？', 'open', '2026-08-23 10:00:00+00'),
(6023, 3023, '重复扣费申请退款', '同一台实例的续费被扣了两次，请核实并退款。', 'closed', '2026-08-03 10:00:00+00'),
(6024, 3023, '发票抬头需要修改', '上个月的发票抬头写错了，请帮忙重新开具。', 'open', '2026-08-23 10:00:00+00'),
(6025, 3024, '发票抬头需要修改', '上个月的发票抬头写错了，请帮忙重新开具。', 'closed', '2026-08-03 10:00:00+00'),
(6026, 3024, '控制台无法登录', '今天早上开始登录控制台后立即提示会话过期。', 'open', '2026-08-23 10:00:00+00');

insert into call_notes (note_id, contact_id, ticket_id, agent_name, note, called_at, caller_phone) values
(8001, 3001, 6001, 'Support agent Ortiz', 'Customer called about the ticket; explained next steps and escalated to billing.', '2026-08-04 11:00:00+00', '+1 555 0142'),
(8002, 3001, 6002, 'Support agent Kim', 'Customer called about the ticket; explained next steps and escalated to billing.', '2026-08-24 11:00:00+00', '+1 555 0142'),
(8003, 3002, 6003, '客服 小刘', '客户来电说明情况，已记录并转交账务组处理。', '2026-08-04 11:00:00+00', '+86 138 0000 0102'),
(8004, 3002, 6004, '客服 小陈', '客户来电说明情况，已记录并转交账务组处理。', '2026-08-24 11:00:00+00', '+86 138 0000 0102'),
(8005, 3004, 6005, 'Support agent Kim', 'Customer called about the ticket; explained next steps and escalated to billing.', '2026-08-04 11:00:00+00', '+1 555 0151'),
(8006, 3005, 6007, 'Support agent Ortiz', 'Customer called about the ticket; explained next steps and escalated to billing.', '2026-08-04 11:00:00+00', '+1 555 0152'),
(8007, 3007, 6008, 'Support agent Ortiz', 'Customer called about the ticket; explained next steps and escalated to billing.', '2026-08-04 11:00:00+00', '+1 555 0155'),
(8008, 3008, 6009, 'Support agent Kim', 'Customer called about the ticket; explained next steps and escalated to billing.', '2026-08-04 11:00:00+00', '+1 555 0157'),
(8009, 3009, 6010, 'Support agent Ortiz', 'Customer called about the ticket; explained next steps and escalated to billing.', '2026-08-04 11:00:00+00', '+1 555 0158'),
(8010, 3013, 6011, 'Support agent Ortiz', 'Customer called about the ticket; explained next steps and escalated to billing.', '2026-08-04 11:00:00+00', '+1 555 0164'),
(8011, 3014, 6012, 'Support agent Kim', 'Customer called about the ticket; explained next steps and escalated to billing.', '2026-08-04 11:00:00+00', '+1 555 0166'),
(8012, 3015, 6014, 'Support agent Ortiz', 'Customer called about the ticket; explained next steps and escalated to billing.', '2026-08-04 11:00:00+00', '+1 555 0167'),
(8013, 3016, 6016, '客服 小刘', '客户来电说明情况，已记录并转交账务组处理。', '2026-08-04 11:00:00+00', '+86 139 0000 0200'),
(8014, 3018, 6018, '客服 小刘', '客户来电说明情况，已记录并转交账务组处理。', '2026-08-04 11:00:00+00', '+86 139 0000 0204'),
(8015, 3020, 6020, '客服 小刘', '客户来电说明情况，已记录并转交账务组处理。', '2026-08-04 11:00:00+00', '+86 139 0000 0208'),
(8016, 3021, 6021, '客服 小陈', '客户来电说明情况，已记录并转交账务组处理。', '2026-08-04 11:00:00+00', '+86 139 0000 0210'),
(8017, 3023, 6023, '客服 小陈', '客户来电说明情况，已记录并转交账务组处理。', '2026-08-04 11:00:00+00', '+86 139 0000 0214'),
(8018, 3024, 6025, '客服 小刘', '客户来电说明情况，已记录并转交账务组处理。', '2026-08-04 11:00:00+00', '+86 139 0000 0216');
