package io.drover.connector.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throw-away PostgreSQL server for restore verification: {@code initdb} with trust
 * authentication, listening only on 127.0.0.1 on a free port, its socket in its data directory,
 * no fsync. Started as the {@code postgres} user when drover runs as root (PostgreSQL refuses to
 * run as root). {@link #close()} stops it and deletes its data. It can also be a streaming standby
 * of another one ({@link #startStandby}), which tests of replication use.
 */
final class TemporaryInstance implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TemporaryInstance.class);
    static final String SERVICE_USER = "postgres";
    static final String SUPERUSER = "postgres";
    /** Unix socket paths are limited to 107 bytes; leave room for {@code /.s.PGSQL.65535}. */
    private static final int MAX_SOCKET_DIR = 90;
    private static final int START_ATTEMPTS = 3;

    private final ClientTools server;
    private final Path root;
    private final boolean ownRoot;
    private final Path data;
    private final Path log;
    private final int port;

    private TemporaryInstance(ClientTools server, Path root, boolean ownRoot, Path data, Path log, int port) {
        this.server = server;
        this.root = root;
        this.ownRoot = ownRoot;
        this.data = data;
        this.log = log;
        this.port = port;
    }

    /**
     * Creates and starts an instance with the server programs in {@code server}'s directory, its
     * data under {@code workDirectory} (or, if the service user cannot use it, under a private
     * directory of its own in {@code java.io.tmpdir}).
     */
    static TemporaryInstance start(ClientTools server, Path workDirectory, Duration timeout) throws IOException {
        return start(server, workDirectory, timeout, "");
    }

    /**
     * {@link #start(ClientTools, Path, Duration)} with {@code settings} (lines of
     * {@code postgresql.conf}) added to the instance's configuration, e.g. for a replication
     * primary.
     */
    static TemporaryInstance start(ClientTools server, Path workDirectory, Duration timeout, String settings)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean root = OsUser.runningAsRoot();
        Place place = place(workDirectory, root, timeout);
        try {
            ClientTools.process("initdb", asServiceUser(initdb(server, place.data()), root)).timeout(remaining(deadline)).run();
            return startServer(server, place, root, settings, deadline);
        } catch (IOException | RuntimeException e) {
            deleteData(place.base(), place.ownRoot(), place.data(), place.log());
            throw e;
        }
    }

    /** {@code initdb} of a new data directory as every instance gets one: trust authentication, UTF-8, no locale. */
    static List<String> initdb(ClientTools server, Path data) {
        return List.of(server.path("initdb"), "-D", data.toString(), "--auth=trust", "-U", SUPERUSER, "-E", "UTF8",
                "--no-locale", "--no-sync");
    }

    /**
     * Creates and starts a streaming standby of {@code primary} (a copy taken with
     * {@code pg_basebackup -R}, which also configures the streaming), hot standby, on another free
     * port, its data under {@code workDirectory} as in {@link #start(ClientTools, Path, Duration)}.
     * The primary must allow replication connections from 127.0.0.1 (an instance started here does:
     * {@code initdb --auth=trust} trusts them).
     */
    static TemporaryInstance startStandby(TemporaryInstance primary, Path workDirectory, Duration timeout)
            throws IOException {
        return startStandby(primary, workDirectory, timeout, "");
    }

    /**
     * {@link #startStandby(TemporaryInstance, Path, Duration)} with {@code settings} added after the
     * instance's own, e.g. what the standby needs should it be promoted and rewound from.
     */
    static TemporaryInstance startStandby(TemporaryInstance primary, Path workDirectory, Duration timeout,
                                          String settings) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean root = OsUser.runningAsRoot();
        Place place = place(workDirectory, root, timeout);
        ClientTools server = primary.server;
        try {
            List<String> basebackup = List.of(server.path("pg_basebackup"), "-h", "127.0.0.1", "-p",
                    String.valueOf(primary.port()), "-U", SUPERUSER, "-w", "-D", place.data().toString(), "-R", "-X",
                    "stream", "-c", "fast", "--no-sync");
            ClientTools.process("pg_basebackup", asServiceUser(basebackup, root)).timeout(remaining(deadline)).run();
            // The copy has the primary's postgresql.conf; its port and socket directory are replaced when started.
            return startServer(server, place, root, "hot_standby = on\n" + settings, deadline);
        } catch (IOException | RuntimeException e) {
            deleteData(place.base(), place.ownRoot(), place.data(), place.log());
            throw e;
        }
    }

    /**
     * Starts a server on an existing data directory (e.g. one a point-in-time restore prepared) on a
     * free port; its log goes beside it ({@code <data>.log}). The directory must be usable by the
     * service user when drover runs as root. {@link #close()} stops it and deletes the directory.
     */
    static TemporaryInstance startExisting(ClientTools server, Path data, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean root = OsUser.runningAsRoot();
        Path absolute = data.toAbsolutePath();
        if (absolute.toString().length() > MAX_SOCKET_DIR) {
            throw new IOException("the data directory path " + absolute + " is too long for a Unix socket directory");
        }
        Path log = absolute.resolveSibling(absolute.getFileName() + ".log");
        Files.deleteIfExists(log);
        Files.createFile(log);
        if (root) {
            Files.setOwner(log, serviceUser());
        }
        return startServer(server, new Place(absolute.getParent(), false, absolute, log), root, "", deadline);
    }

    /** Fills a new data directory, e.g. from a base backup. */
    @FunctionalInterface
    interface Preparation {
        void prepare(Path data) throws IOException;
    }

    /**
     * Starts a server on a data directory that {@code preparation} fills (from a base backup) on a
     * free port, placed as {@link #start(ClientTools, Path, Duration)} places one: under
     * {@code workDirectory}, or a private directory of its own when the service user cannot use it.
     * The preparation must leave the directory usable by the service user when drover runs as root.
     * If this fails, what it created is deleted; else {@link #close()} stops the server and deletes it.
     */
    static TemporaryInstance startPrepared(ClientTools server, Path workDirectory, Duration timeout,
                                           Preparation preparation) throws IOException {
        return startPrepared(server, workDirectory, timeout, "", preparation);
    }

    /**
     * {@link #startPrepared(ClientTools, Path, Duration, Preparation)} with {@code settings} (lines of
     * {@code postgresql.conf}) added to the instance's configuration.
     */
    static TemporaryInstance startPrepared(ClientTools server, Path workDirectory, Duration timeout, String settings,
                                           Preparation preparation) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean root = OsUser.runningAsRoot();
        Place place = place(workDirectory, root, timeout);
        try {
            preparation.prepare(place.data());
            return startServer(server, place, root, settings, deadline);
        } catch (IOException | RuntimeException e) {
            deleteData(place.base(), place.ownRoot(), place.data(), place.log());
            throw e;
        }
    }

    /** Where an instance keeps its data and log. */
    private record Place(Path base, boolean ownRoot, Path data, Path log) {
    }

    private static Place place(Path workDirectory, boolean root, Duration timeout) throws IOException {
        Path base = workDirectory.toAbsolutePath();
        boolean ownRoot = false;
        if (base.toString().length() + "/data".length() > MAX_SOCKET_DIR || root && !usableByServiceUser(base, timeout)) {
            base = ownDirectory(root);
            ownRoot = true;
        }
        Path data = base.resolve("data");
        Path log = base.resolve("postgres.log");
        if (root && !ownRoot) {
            // The service user must own the log it appends to.
            Files.createFile(log);
            try {
                Files.setOwner(log, serviceUser());
            } catch (IOException e) {
                Files.deleteIfExists(log);
                throw e;
            }
        }
        return new Place(base, ownRoot, data, log);
    }

    /** Starts the server of an initialized data directory on a free port, another one if the port was taken. */
    private static TemporaryInstance startServer(ClientTools server, Place place, boolean root, String settings,
                                                 long deadline) throws IOException {
        Path data = place.data();
        Path log = place.log();
        IOException lastFailure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = freePort();
            configure(data, port, settings);
            try {
                List<String> start = List.of(server.path("pg_ctl"), "-D", data.toString(), "-l", log.toString(), "-w",
                        "-t", String.valueOf(Math.max(1, remaining(deadline).toSeconds())), "start");
                ClientTools.process("pg_ctl start", asServiceUser(start, root)).timeout(remaining(deadline)).run();
                return new TemporaryInstance(server, place.base(), place.ownRoot(), data, log, port);
            } catch (IOException e) {
                String logTail = logTail(log);
                lastFailure = new IOException("the temporary PostgreSQL instance did not start: " + e.getMessage()
                        + (logTail.isEmpty() ? "" : "; its log ends with: " + logTail), e);
                stopQuietly(server, data, root);
                if (!logTail.contains("could not bind") && !logTail.contains("already in use")) {
                    break; // not a port race: another port will not help
                }
            }
        }
        throw lastFailure;
    }

    int port() {
        return port;
    }

    ClientTools server() {
        return server;
    }

    Path dataDirectory() {
        return data;
    }

    PostgresUrl url(String database) {
        return new PostgresUrl(SUPERUSER, "127.0.0.1", port, database);
    }

    /** Stops the instance at once (no checkpoint: its data is thrown away) and deletes its data. */
    @Override
    public void close() throws IOException {
        try {
            stopQuietly(server, data, OsUser.runningAsRoot());
        } finally {
            deleteData(root, ownRoot, data, log);
        }
    }

    private static void stopQuietly(ClientTools server, Path data, boolean root) {
        if (!Files.exists(data.resolve("postmaster.pid"))) {
            return;
        }
        Optional<Long> pid = postmasterPid(data);
        try {
            ClientTools.process("pg_ctl stop", asServiceUser(List.of(server.path("pg_ctl"), "-D", data.toString(), "-m",
                    "immediate", "-w", "-t", "60", "stop"), root)).timeout(Duration.ofSeconds(90)).run();
            // pg_ctl -w returns once the server is gone; waiting for the exit of a process that is not
            // drover's child polls slowly (seconds per instance).
            return;
        } catch (IOException e) {
            LOG.warn("pg_ctl stop of the temporary PostgreSQL instance in {} failed ({}); killing it", data, e.getMessage());
        }
        pid.flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).ifPresent(process -> {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).exceptionally(t -> null).join();
        });
    }

    private static Optional<Long> postmasterPid(Path data) {
        try {
            List<String> lines = Files.readAllLines(data.resolve("postmaster.pid"));
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.getFirst().strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void deleteData(Path base, boolean ownRoot, Path data, Path log) throws IOException {
        deleteTree(data);
        Files.deleteIfExists(log);
        if (ownRoot) {
            deleteTree(base);
        }
    }

    static void deleteTree(Path tree) throws IOException {
        if (!Files.exists(tree, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(tree)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void configure(Path data, int port, String more) throws IOException {
        String settings = """

                # drover: a temporary instance
                listen_addresses = '127.0.0.1'
                port = %d
                unix_socket_directories = '%s'
                fsync = off
                synchronous_commit = off
                full_page_writes = off
                shared_buffers = 32MB
                max_connections = 100
                max_wal_size = 1GB
                logging_collector = off
                """.formatted(port, data.toString().replace("'", "''")) + more;
        // Later lines win, so a retry on another port just appends again.
        Files.writeString(data.resolve("postgresql.conf"), settings, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Whether something accepts connections on 127.0.0.1:{@code port}. */
    static boolean accepting(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Duration remaining(long deadline) throws IOException {
        long nanos = deadline - System.nanoTime();
        if (nanos <= 0) {
            throw new IOException("the temporary PostgreSQL instance did not start within the verification timeout");
        }
        return Duration.ofNanos(nanos);
    }

    private static String logTail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())).strip();
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    /** {@code command}, run as the service user when drover runs as root. */
    static List<String> asServiceUser(List<String> command, boolean root) {
        return root ? OsUser.command(SERVICE_USER, command) : command;
    }

    private static boolean usableByServiceUser(Path directory, Duration timeout) {
        try {
            ClientTools.process("test", asServiceUser(List.of("test", "-w", directory.toString(), "-a", "-x",
                    directory.toString()), true)).timeout(timeout).run();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static UserPrincipal serviceUser() throws IOException {
        return OsUser.principal(SERVICE_USER);
    }

    /** A private directory for the instance in {@code java.io.tmpdir}, owned by the service user when root. */
    private static Path ownDirectory(boolean root) throws IOException {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "drover-pg-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        if (root) {
            try {
                Files.setOwner(dir, serviceUser());
            } catch (IOException e) {
                Files.deleteIfExists(dir);
                throw e;
            }
        }
        return dir;
    }
}
