/**
 * The {@code postgres} source: logical backups with {@code pg_dump} (custom or directory format)
 * plus {@code pg_dumpall --globals-only}, a canary row written just before the dump's snapshot,
 * and restore verification in a temporary instance or a scratch database on a server.
 */
package io.drover.connector.postgres;
