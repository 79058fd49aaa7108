package io.drover.connector.mariadb;

import io.drover.connector.support.ChildProcess;
import io.drover.core.model.Secret;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A temporary server started for one restore verification: a fresh data directory under the
 * scratch work directory, listening on a free loopback port, with one account {@code drover}
 * whose random password exists only in a 0600 init file (deleted once the server is up) and in
 * the option files of the clients. {@link #close()} shuts it down and deletes its directory.
 */
final class TemporaryScratch extends AbstractScratch {
    private static final String USER = "drover";
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(30);
    private static final int MAX_SOCKET_PATH = 100;

    private final Process process;
    private final Path home;
    private final Optional<Path> socketDirectory;
    private final String version;

    private TemporaryScratch(Tools tools, Endpoint endpoint, String database, String canaryTable, long deadlineNanos,
                             Process process, Path home, Optional<Path> socketDirectory, String version) {
        super(tools, endpoint, database, canaryTable, deadlineNanos);
        this.process = process;
        this.home = home;
        this.socketDirectory = socketDirectory;
        this.version = version;
    }

    static TemporaryScratch start(Tools tools, Path workDirectory, String database, String canaryTable, Duration timeout)
            throws IOException {
        return start(tools, workDirectory, database, canaryTable, timeout, List.of());
    }

    /** As {@link #start(Tools, Path, String, String, Duration)}, with more server options (tests: binary logging). */
    static TemporaryScratch start(Tools tools, Path workDirectory, String database, String canaryTable, Duration timeout,
                                  List<String> serverOptions) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Flavor flavor = tools.flavor();
        String installer = tools.server(flavor.installProgram);
        String server = tools.server(flavor.serverProgram);
        Path home = home(workDirectory, flavor);
        Optional<Path> socketDirectory = Optional.empty();
        Process process = null;
        try {
            Path data = home.resolve("data");
            Path tmp = Files.createDirectories(home.resolve("tmp"));
            Path socket = home.resolve("server.sock");
            if (socket.toString().length() > MAX_SOCKET_PATH) {
                socketDirectory = Optional.of(privateDirectory());
                socket = socketDirectory.get().resolve("server.sock");
            }
            boolean root = "root".equals(System.getProperty("user.name"));
            install(flavor, installer, data, root, deadline);

            String password = randomPassword();
            Path initFile = home.resolve("init.sql");
            Files.createFile(initFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            // The installer leaves password-less root accounts for TCP; only drover's account may connect over it.
            Files.writeString(initFile, String.join("\n",
                    "DROP USER IF EXISTS 'root'@'127.0.0.1';",
                    "DROP USER IF EXISTS 'root'@'::1';",
                    "CREATE USER '" + USER + "'@'127.0.0.1' IDENTIFIED BY '" + password + "';",
                    "GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'127.0.0.1' WITH GRANT OPTION;", ""),
                    StandardCharsets.UTF_8);

            int port = freePort();
            List<String> command = new ArrayList<>(List.of(server, "--no-defaults", "--datadir=" + data,
                    "--socket=" + socket, "--port=" + port, "--bind-address=127.0.0.1", "--skip-name-resolve",
                    "--pid-file=" + home.resolve("server.pid"), "--log-error=" + home.resolve("error.log"),
                    "--tmpdir=" + tmp, "--init-file=" + initFile, "--skip-log-bin", "--event-scheduler=OFF",
                    "--max-allowed-packet=1G", "--innodb-buffer-pool-size=64M", "--performance-schema=OFF",
                    "--loose-mysqlx=OFF"));
            if (flavor == Flavor.MARIADB) {
                command.add("--innodb-log-file-size=16M");
            }
            if (root) {
                command.add("--user=root");
            }
            command.addAll(serverOptions);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(home.resolve("server.out").toFile());
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new IOException("'" + server + "' could not be started: " + e.getMessage(), e);
            }
            Endpoint endpoint = new Endpoint("127.0.0.1", port, USER, Optional.of(Secret.of(password, "temporary instance")));
            String version = awaitReady(flavor, process, endpoint, home, deadline);
            Files.deleteIfExists(initFile);
            try (Connection connection = endpoint.connect(); Statement statement = connection.createStatement()) {
                statement.execute("create database " + Sql.id(database));
            } catch (SQLException e) {
                throw new IOException("cannot create database " + database + " on the temporary " + flavor.product
                        + " instance: " + e.getMessage(), e);
            }
            return new TemporaryScratch(tools, endpoint, database, canaryTable, deadline, process, home, socketDirectory,
                    version);
        } catch (IOException | RuntimeException e) {
            stop(process, Optional.empty());
            try {
                deleteTree(home);
                if (socketDirectory.isPresent()) {
                    deleteTree(socketDirectory.get());
                }
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static Path home(Path workDirectory, Flavor flavor) throws IOException {
        if (Files.isDirectory(workDirectory) && Files.isWritable(workDirectory)) {
            return Files.createTempDirectory(workDirectory, flavor.scheme + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return privateDirectory();
    }

    private static Path privateDirectory() throws IOException {
        return Files.createTempDirectory("drover-scratch-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    private static void install(Flavor flavor, String installer, Path data, boolean root, long deadline)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(installer);
        command.add("--no-defaults");
        if (flavor == Flavor.MARIADB) {
            command.addAll(List.of("--datadir=" + data, "--auth-root-authentication-method=normal", "--skip-test-db",
                    "--skip-name-resolve", "--innodb-log-file-size=16M"));
        } else {
            command.addAll(List.of("--initialize-insecure", "--datadir=" + data));
        }
        if (root) {
            command.add("--user=root");
        }
        Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), TimeUnit.SECONDS.toNanos(1)));
        try (ChildProcess install = Tools.process(flavor.installProgram, command, Optional.empty()).discardStdout()
                .timeout(left).start()) {
            install.awaitSuccess();
        } catch (IOException e) {
            throw new IOException("cannot create the data directory of a temporary " + flavor.product + " instance: "
                    + e.getMessage(), e);
        }
    }

    private static String awaitReady(Flavor flavor, Process process, Endpoint endpoint, Path home, long deadline)
            throws IOException {
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the temporary " + flavor.product + " instance exited with code "
                        + process.exitValue() + " while starting: " + tail(home.resolve("error.log")));
            }
            try (Connection connection = endpoint.connect()) {
                return MariaDbSource.scalar(connection, "select version()");
            } catch (SQLException e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while starting a temporary " + flavor.product + " instance");
            }
        }
        throw new IOException("the temporary " + flavor.product + " instance did not accept connections in time"
                + (last == null ? "" : " (" + last.getMessage() + ")") + ": " + tail(home.resolve("error.log")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String randomPassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.toString();
    }

    private static String tail(Path log) {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            int size = (int) Math.min(length, 2048);
            byte[] bytes = new byte[size];
            file.seek(length - size);
            file.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "(empty error log)" : (length > size ? "..." : "") + text;
        } catch (IOException e) {
            return "(no error log: " + e.getMessage() + ")";
        }
    }

    /** Creates the dump's definers as locked accounts first, so that its views and routines work here. */
    @Override
    public void load(Path files) throws IOException {
        Path dump = DumpLoader.findDump(files);
        Set<Definers.Account> definers = Definers.scan(dump);
        try (Connection connection = endpoint.connect()) {
            for (Definers.Account account : definers) {
                try (PreparedStatement create = connection.prepareStatement("create user if not exists ?@? account lock")) {
                    create.setString(1, account.user());
                    create.setString(2, account.host());
                    create.execute();
                }
                try (PreparedStatement grant = connection.prepareStatement("grant all privileges on " + Sql.id(database)
                        + ".* to ?@?")) {
                    grant.setString(1, account.user());
                    grant.setString(2, account.host());
                    grant.execute();
                }
            }
        } catch (SQLException e) {
            throw new IOException("cannot create the definers of the dump's views and routines on the temporary "
                    + tools.flavor().product + " instance: " + e.getMessage(), e);
        }
        DumpLoader.load(tools, endpoint, database, dump, remaining());
    }

    @Override
    public String describe() {
        return "temporary " + tools.flavor().product + " " + version.replaceFirst("-.*", "") + " on "
                + endpoint.hostPort() + " in " + home + ", database " + database;
    }

    @Override
    public void close() throws IOException {
        stop(process, Optional.of(endpoint));
        deleteTree(home);
        if (socketDirectory.isPresent()) {
            deleteTree(socketDirectory.get());
        }
    }

    /** Shuts the server down cleanly if it can, else kills it; waits until it is gone. */
    private static void stop(Process process, Optional<Endpoint> endpoint) {
        if (process == null) {
            return;
        }
        try {
            if (endpoint.isPresent() && process.isAlive()) {
                try (Connection connection = endpoint.get().connect(); Statement statement = connection.createStatement()) {
                    statement.execute("shutdown");
                } catch (SQLException e) {
                    // the connection may drop as the server goes down, or the server is unusable: kill below
                }
                process.waitFor(SHUTDOWN_WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(SHUTDOWN_WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
