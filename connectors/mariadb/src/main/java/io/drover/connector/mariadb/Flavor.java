package io.drover.connector.mariadb;

/** MariaDB or MySQL: the same protocol and dump format, different program names. */
enum Flavor {
    MARIADB("mariadb", "MariaDB", "mariadb-dump", "mariadb", "mariadb-install-db", "mariadbd"),
    MYSQL("mysql", "MySQL", "mysqldump", "mysql", "mysqld", "mysqld");

    final String scheme;
    final String product;
    final String dumpProgram;
    final String clientProgram;
    /** Initialises a data directory: {@code mariadb-install-db}, or {@code mysqld --initialize-insecure}. */
    final String installProgram;
    final String serverProgram;

    Flavor(String scheme, String product, String dumpProgram, String clientProgram, String installProgram,
           String serverProgram) {
        this.scheme = scheme;
        this.product = product;
        this.dumpProgram = dumpProgram;
        this.clientProgram = clientProgram;
        this.installProgram = installProgram;
        this.serverProgram = serverProgram;
    }
}
