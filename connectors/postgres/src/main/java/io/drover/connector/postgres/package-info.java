/**
 * The {@code postgres} source: logical backups with {@code pg_dump} (custom or directory format)
 * plus {@code pg_dumpall --globals-only}, a canary row written just before the dump's snapshot,
 * and restore verification in a temporary instance or a scratch database on a server; and the
 * {@code postgres} replicated database under {@code databases:}: a heartbeat row written on the
 * primary and read on its streaming standbys, for replica lag; fencing, promotion and rejoining a
 * former primary as a standby ({@code pg_rewind} or a new base backup) for failover runbooks.
 */
package io.drover.connector.postgres;
