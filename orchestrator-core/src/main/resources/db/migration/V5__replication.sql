-- Replica lag of databases under databases: (database issue). Portable SQL, as V1.

-- The newest measurement of every standby: one row each, replaced on every sample. State
-- changes of the replica RPO go to service_rpo_state/service_rpo_history like backup RPO.
create table replica_state (
    database_name  varchar(255)  not null,
    member         varchar(255)  not null,
    site           varchar(255)  not null,
    sampled_at     timestamp with time zone not null,
    reachable      boolean       not null,
    lag_millis     bigint,
    bytes_behind   bigint,
    heartbeat_at   timestamp with time zone,
    detail         varchar(2000) not null,
    primary key (database_name, member)
);
