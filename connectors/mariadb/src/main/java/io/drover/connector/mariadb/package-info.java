/**
 * The {@code mariadb} and {@code mysql} sources: a logical dump of one database with
 * {@code mariadb-dump}/{@code mysqldump}, loaded back with the {@code mariadb}/{@code mysql} client
 * into a named database, a scratch database on a server, or a temporary instance for restore
 * verification. Passwords reach the client programs only through a private option file.
 */
package io.drover.connector.mariadb;
