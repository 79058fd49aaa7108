-- Restore tests of database backups (database issue). Portable SQL, as V1.

-- What a restore test proved about a recovery point: how long restoring and loading took (RTO
-- evidence), where it was loaded, and the newest canary found in the restored copy (proven RPO).
alter table verification_run add column restore_millis bigint;
alter table verification_run add column scratch varchar(512);
alter table verification_run add column proven_at timestamp with time zone;

-- Every validation check of a restore test and its result, in the order they ran.
create table verification_check (
    verification_id bigint        not null,
    position        int           not null,
    name            varchar(2000) not null,
    passed          boolean       not null,
    detail          varchar(4000) not null,
    primary key (verification_id, position)
);
