package io.drover.connector.mariadb;

/**
 * Creates {@code mysql} replicated databases: a MySQL source and its replicas. The same
 * implementation as {@code mariadb}, with MySQL's statement and column names where they differ.
 */
public final class MySqlDatabaseFactory extends AbstractMariaDbDatabaseFactory {
    public MySqlDatabaseFactory() {
        super(Flavor.MYSQL);
    }
}
