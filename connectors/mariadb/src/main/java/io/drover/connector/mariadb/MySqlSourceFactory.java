package io.drover.connector.mariadb;

/**
 * Creates {@code mysql} sources: one MySQL database, dumped with {@code mysqldump}. The same
 * implementation as {@code mariadb} with MySQL's program names.
 */
public final class MySqlSourceFactory extends AbstractMariaDbSourceFactory {
    public MySqlSourceFactory() {
        super(Flavor.MYSQL);
    }
}
