-- The account a case was matched to in the account system (the connector declaring identity),
-- and that account's region, which may pick the deadline policy. Null for people with no account.
alter table dsr_case add column account_system varchar(64);
alter table dsr_case add column account_id varchar(128);
alter table dsr_case add column region varchar(16);
