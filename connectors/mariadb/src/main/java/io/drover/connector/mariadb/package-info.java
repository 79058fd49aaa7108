/**
 * The {@code mariadb} and {@code mysql} sources: a logical dump of one database with
 * {@code mariadb-dump}/{@code mysqldump}, loaded back with the {@code mariadb}/{@code mysql} client
 * into a named database, a scratch database on a server, or a temporary instance for restore
 * verification. Passwords reach the client programs only through a private option file.
 *
 * <p>The {@code mariadb} and {@code mysql} databases (under {@code databases:}): a primary and its
 * replicas, whose lag drover measures with a heartbeat row written on the primary, and whose
 * replication threads and binary log bytes behind it reads from {@code SHOW SLAVE STATUS}.
 */
package io.drover.connector.mariadb;
