-- Export packages are encrypted at rest and open once, with a passcode sent apart from the link.
alter table export_package add column wrapped_key varchar(200);
alter table export_package add column iv varchar(32);
alter table export_package add column mac varchar(64);
alter table export_package add column passcode_hash varchar(64);
alter table export_package add column passcode_failures int not null default 0;
alter table export_package add column used_at timestamptz;
alter table export_package add column purged_at timestamptz;
