package io.drover.connector.mariadb;

/** Creates {@code mariadb} replicated databases: a MariaDB primary and its replicas. */
public final class MariaDbDatabaseFactory extends AbstractMariaDbDatabaseFactory {
    public MariaDbDatabaseFactory() {
        super(Flavor.MARIADB);
    }
}
