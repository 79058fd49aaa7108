package io.drover.connector.mariadb;

/** MariaDB or MySQL: the same protocol and dump format, different program names and replication statements. */
enum Flavor {
    MARIADB("mariadb", "MariaDB", "mariadb-dump", "mariadb", "mariadb-install-db", "mariadbd",
            new Replication("show slave status", "start slave", "stop slave", "stop slave io_thread",
                    "start slave sql_thread", "reset slave all", "@@global.gtid_binlog_pos",
                    "@@global.gtid_slave_pos", "master_gtid_wait", "read_only",
                    "READ_ONLY ADMIN (before MariaDB 10.11 also SUPER)")),
    /** MySQL 8.0.23 or later, which has the REPLICA and REPLICATION SOURCE statements. */
    MYSQL("mysql", "MySQL", "mysqldump", "mysql", "mysqld", "mysqld",
            new Replication("show replica status", "start replica", "stop replica", "stop replica io_thread",
                    "start replica sql_thread", "reset replica all", "@@global.gtid_executed",
                    "@@global.gtid_executed", "wait_for_executed_gtid_set", "super_read_only",
                    ""));

    final String scheme;
    final String product;
    final String dumpProgram;
    final String clientProgram;
    /** Initialises a data directory: {@code mariadb-install-db}, or {@code mysqld --initialize-insecure}. */
    final String installProgram;
    final String serverProgram;
    final Replication replication;

    /**
     * The statements that control a replica, and the variable that fences a server.
     *
     * @param writtenGtids  the expression of the GTIDs a server wrote to its binary log
     * @param appliedGtids  the expression of the GTIDs a replica applied
     * @param waitFunction  {@code f(gtids, seconds)}: 0 once the replica applied {@code gtids}
     *
     * @param fenceVariable the global variable whose ON refuses writes ({@code super_read_only} on
     *                      MySQL implies {@code read_only} and also holds for SUPER accounts)
     * @param bypassedBy    which accounts can still write while {@code fenceVariable} is ON, for messages;
     *                      empty when none can
     */
    record Replication(String status, String start, String stop, String stopIoThread, String startSqlThread,
                       String resetAll, String writtenGtids, String appliedGtids, String waitFunction,
                       String fenceVariable, String bypassedBy) {
    }

    Flavor(String scheme, String product, String dumpProgram, String clientProgram, String installProgram,
           String serverProgram, Replication replication) {
        this.scheme = scheme;
        this.product = product;
        this.dumpProgram = dumpProgram;
        this.clientProgram = clientProgram;
        this.installProgram = installProgram;
        this.serverProgram = serverProgram;
        this.replication = replication;
    }
}
