package io.drover.connector.mariadb;

/** Creates {@code mariadb} sources: one MariaDB database, dumped with {@code mariadb-dump}. */
public final class MariaDbSourceFactory extends AbstractMariaDbSourceFactory {
    public MariaDbSourceFactory() {
        super(Flavor.MARIADB);
    }
}
