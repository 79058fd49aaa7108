package io.drover.connector.postgres;

import io.drover.core.testing.TestServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A PostgreSQL primary and one streaming hot standby of it, for tests: two {@link TemporaryInstance}s
 * on free loopback ports, run as the {@code postgres} user, their data in private temporary
 * directories, trust authentication (also for replication from 127.0.0.1). Start one per test
 * class; {@link #close()} stops both and deletes their data.
 *
 * <p>Both have the database {@link #DATABASE}; {@link #primaryUrl()} and {@link #standbyUrl()} name
 * it as the superuser {@code postgres}. Both can be rewound with {@code pg_rewind} after a failover
 * ({@code wal_log_hints} and {@code full_page_writes} on).
 *
 * <p>Starting is fast: {@code initdb} runs once per JVM into a template that each primary copies,
 * and the fixture waits for the standby's replay only up to what the primary wrote.
 */
public final class PostgresReplicaPair implements AutoCloseable {
    public static final String DATABASE = "drover_repl";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final String PRIMARY_SETTINGS = """
            # drover test: a replication primary
            wal_level = replica
            max_wal_senders = 5
            max_replication_slots = 5
            wal_keep_size = 64MB
            hot_standby = on
            # pg_rewind needs them on the server rewound (hints) and on the one rewound from (full pages);
            # a temporary instance turns full_page_writes off, and a standby may be either after a failover.
            wal_log_hints = on
            full_page_writes = on
            # TCP only: pg_rewind copies every file of the server it rewinds from, and cannot read a socket.
            unix_socket_directories = ''
            """;
    /** An initialized data directory, made once per JVM, that every primary starts as a copy of. */
    private static Path template;

    private final Path base;
    private final TemporaryInstance primary;
    private final TemporaryInstance standby;

    private PostgresReplicaPair(Path base, TemporaryInstance primary, TemporaryInstance standby) {
        this.base = base;
        this.primary = primary;
        this.standby = standby;
    }

    /** Starts a primary with the database {@link #DATABASE}, then a standby copied from it, and waits until it streams. */
    public static PostgresReplicaPair start() throws IOException, SQLException, InterruptedException {
        ClientTools server = serverPrograms();
        // A private directory the postgres user cannot enter when we run as root, so each instance makes its own.
        Path base = Files.createTempDirectory("drover-pair-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        TemporaryInstance primary = null;
        TemporaryInstance standby = null;
        try {
            Path initialized = template(server);
            primary = TemporaryInstance.startPrepared(server, Files.createDirectory(base.resolve("primary")),
                    START_TIMEOUT, PRIMARY_SETTINGS, data -> ClientTools.process("cp", TemporaryInstance.asServiceUser(
                            List.of("cp", "-a", initialized.toString(), data.toString()), OsUser.runningAsRoot()))
                            .timeout(START_TIMEOUT).run());
            // initdb --auth=trust already trusts local replication; say so explicitly all the same.
            Files.writeString(primary.dataDirectory().resolve("pg_hba.conf"),
                    "\n# drover test: streaming replication from loopback\nhost replication all 127.0.0.1/32 trust\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            execute(primary.url("postgres"), "select pg_reload_conf()");
            execute(primary.url("postgres"), "create database " + DATABASE);
            standby = TemporaryInstance.startStandby(primary, Files.createDirectory(base.resolve("standby")),
                    START_TIMEOUT, PRIMARY_SETTINGS);
            PostgresReplicaPair pair = new PostgresReplicaPair(base, primary, standby);
            pair.awaitStreaming(Duration.ofSeconds(60));
            return pair;
        } catch (IOException | SQLException | InterruptedException | RuntimeException e) {
            closeAll(standby, primary, base);
            throw e;
        }
    }

    /**
     * The template data directory, made by {@code initdb} at the first call, in a directory the
     * service user owns (it copies it), deleted when the JVM exits.
     */
    private static synchronized Path template(ClientTools server) throws IOException {
        if (template == null) {
            boolean root = OsUser.runningAsRoot();
            Path directory = Files.createTempDirectory("drover-pg-template-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            if (root) {
                Files.setOwner(directory, OsUser.principal(TemporaryInstance.SERVICE_USER));
            }
            Path data = directory.resolve("data");
            ClientTools.process("initdb", TemporaryInstance.asServiceUser(TemporaryInstance.initdb(server, data), root))
                    .discardStdout().timeout(START_TIMEOUT).run();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    TemporaryInstance.deleteTree(directory);
                } catch (IOException e) {
                    System.err.println("cannot delete the template data directory " + directory + ": " + e);
                }
            }));
            template = data;
        }
        return template;
    }

    /** The oldest installed server programs; skips (or, in CI, fails) the test when there are none. */
    private static ClientTools serverPrograms() throws IOException {
        try {
            return ClientTools.serverPrograms(Optional.empty(), 0, Duration.ofMinutes(1));
        } catch (IOException e) {
            TestServices.requireService("PostgreSQL server programs (initdb, pg_ctl, pg_basebackup)", false,
                    "apt-get install postgresql (" + e.getMessage() + ")");
            throw e;
        }
    }

    public int primaryPort() {
        return primary.port();
    }

    public int standbyPort() {
        return standby.port();
    }

    PostgresUrl primaryUrl() {
        return primary.url(DATABASE);
    }

    PostgresUrl standbyUrl() {
        return standby.url(DATABASE);
    }

    /** The primary's data directory, for a member's data-dir. */
    public Path primaryDataDirectory() {
        return primary.dataDirectory();
    }

    public Path standbyDataDirectory() {
        return standby.dataDirectory();
    }

    TemporaryInstance primary() {
        return primary;
    }

    TemporaryInstance standby() {
        return standby;
    }

    /** Stops the standby applying the WAL it receives ({@code pg_wal_replay_pause()}); it keeps receiving. */
    public void pauseReplay() throws SQLException, IOException {
        execute(standbyUrl(), "select pg_wal_replay_pause()");
    }

    public void resumeReplay() throws SQLException, IOException {
        execute(standbyUrl(), "select pg_wal_replay_resume()");
    }

    /** Promotes the standby ({@code pg_promote()}, waiting for it); the old primary keeps running. */
    public void promoteStandby() throws SQLException, IOException {
        execute(standbyUrl(), "select pg_promote(true, 60)");
    }

    /** Shuts the primary down cleanly ({@code pg_ctl stop -m fast}), keeping its data. */
    public void stopPrimary() throws IOException {
        ClientTools.process("pg_ctl stop", TemporaryInstance.asServiceUser(List.of(primary.server().path("pg_ctl"), "-D",
                primary.dataDirectory().toString(), "-m", "fast", "-w", "stop"), OsUser.runningAsRoot()))
                .discardStdout().timeout(START_TIMEOUT).run();
    }

    /** Runs {@code sql} on the primary's database {@link #DATABASE}. */
    public void executeOnPrimary(String sql) throws SQLException, IOException {
        execute(primaryUrl(), sql);
    }

    /** Waits until the standby has replayed everything the primary wrote so far. */
    public void awaitReplay(Duration timeout) throws SQLException, IOException, InterruptedException {
        // The insert position: the test servers commit asynchronously, so a commit may not be written yet.
        String target = query(primaryUrl(), "select pg_current_wal_insert_lsn()::text");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String replayed = query(standbyUrl(), "select pg_last_wal_replay_lsn()::text");
            if (replayed != null && PostgresReplicatedDatabase.parseLsn(replayed)
                    >= PostgresReplicatedDatabase.writtenUpTo(PostgresReplicatedDatabase.parseLsn(target))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the standby did not replay up to " + target + " within " + timeout + " (at " + replayed + ")");
            }
            Thread.sleep(50);
        }
    }

    private void awaitStreaming(Duration timeout) throws SQLException, IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!"streaming".equals(query(standby.url("postgres"), "select status from pg_stat_wal_receiver"))) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the standby on port " + standby.port() + " does not stream from the primary on port "
                        + primary.port() + " after " + timeout);
            }
            Thread.sleep(50);
        }
        awaitReplay(timeout);
    }

    static void execute(PostgresUrl url, String sql) throws SQLException, IOException {
        try (Connection connection = Jdbc.connect(url, Optional.empty()); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The first column of the first row, or null. */
    static String query(PostgresUrl url, String sql) throws SQLException, IOException {
        try (Connection connection = Jdbc.connect(url, Optional.empty()); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    /** Stops both servers and deletes their data. */
    @Override
    public void close() throws IOException {
        closeAll(standby, primary, base);
    }

    private static void closeAll(TemporaryInstance standby, TemporaryInstance primary, Path base) throws IOException {
        IOException failure = null;
        for (TemporaryInstance instance : new TemporaryInstance[] {standby, primary}) {
            if (instance != null) {
                try {
                    instance.close();
                } catch (IOException e) {
                    failure = failure == null ? e : failure;
                }
            }
        }
        TemporaryInstance.deleteTree(base);
        if (failure != null) {
            throw failure;
        }
    }
}
