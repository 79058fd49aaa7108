package io.drover.connector.postgres;

import io.drover.core.spi.CheckResult;
import io.drover.core.spi.ScratchDatabase;
import io.drover.core.spi.ValidationCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * The scratch instance of a restore test of a physical base backup: {@link #load} unpacks
 * {@code base.tar} into a new data directory and starts a temporary instance on it, which recovers
 * to consistency from the WAL the backup holds; checks run against the database the source's URL
 * names, as the cluster's bootstrap superuser. {@link #close()} stops the instance and deletes the
 * directory, also after a failed load.
 */
final class PhysicalScratch implements ScratchDatabase {
    private static final Duration POLL = Duration.ofMillis(100);

    private final ClientTools server;
    private final Path workDirectory;
    private final String database;
    private final String sourceUser;
    private final String canaryTable;
    private final long deadline;
    private final String note;
    private TemporaryInstance instance;
    private PostgresUrl target;
    private boolean closed;

    /**
     * @param sourceUser the user of the source's URL: it exists in the restored cluster, so it can
     *                   ask which role is the bootstrap superuser
     * @param note       added to {@link #describe()}, e.g. why a verify server was not used
     */
    PhysicalScratch(ClientTools server, Path workDirectory, String database, String sourceUser, String canaryTable,
                    long deadline, String note) {
        this.server = server;
        this.workDirectory = workDirectory;
        this.database = database;
        this.sourceUser = sourceUser;
        this.canaryTable = canaryTable;
        this.deadline = deadline;
        this.note = note;
    }

    @Override
    public String describe() {
        String version = "temporary PostgreSQL " + ClientTools.majorName(server.version());
        TemporaryInstance started = instance;
        return (started == null ? version + " restored from the base backup"
                : version + " on 127.0.0.1:" + started.port() + " restored from the base backup (data in "
                + started.dataDirectory() + ")") + " database " + database + note;
    }

    @Override
    public void load(Path files) throws IOException {
        if (instance != null || closed) {
            throw new IOException("a scratch instance is loaded once");
        }
        instance = TemporaryInstance.startPrepared(server, workDirectory, remaining(),
                data -> PitrRestore.prepareForRestoreTest(files, data));
        PostgresUrl asSourceUser = new PostgresUrl(sourceUser, "127.0.0.1", instance.port(), database);
        String superuser;
        try (Connection connection = Jdbc.connect(asSourceUser, Optional.empty())) {
            while (queryBoolean(connection, "select pg_is_in_recovery()")) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new IOException("the restored instance was still recovering when the verification timeout ran out");
                }
                sleep();
            }
            superuser = queryText(connection, "select rolname from pg_roles where oid = 10");
        } catch (SQLException e) {
            throw new IOException("the restored instance does not answer for database " + database + ": "
                    + Jdbc.message(e), e);
        }
        target = new PostgresUrl(superuser, "127.0.0.1", instance.port(), database);
    }

    @Override
    public CheckResult run(ValidationCheck check) {
        PostgresUrl loaded = target;
        if (loaded == null) {
            return CheckResult.failed(check, "the base backup was not loaded");
        }
        return Scratch.run(check, loaded, Optional.empty(), canaryTable, deadline);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (instance != null) {
            instance.close();
        }
    }

    private Duration remaining() throws IOException {
        long nanos = deadline - System.nanoTime();
        if (nanos <= 0) {
            throw new IOException("the verification timeout ran out before the base backup was loaded");
        }
        return Duration.ofNanos(nanos);
    }

    private static boolean queryBoolean(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getBoolean(1);
        }
    }

    private static String queryText(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the restored instance recovered", e);
        }
    }
}
