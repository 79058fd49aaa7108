package io.drover.connector.mariadb;

import io.drover.connector.support.ChildProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds the client and server programs of one flavour, in {@code client-bin} or on PATH. */
final class Tools {
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> SERVER_DIRECTORIES = List.of("/usr/sbin", "/usr/local/sbin", "/usr/local/mysql/bin",
            "/usr/local/mariadb/bin");

    private final Flavor flavor;
    private final Optional<Path> clientBin;

    Tools(Flavor flavor, Optional<Path> clientBin) {
        this.flavor = flavor;
        this.clientBin = clientBin;
    }

    Flavor flavor() {
        return flavor;
    }

    String dump() {
        return client(flavor.dumpProgram);
    }

    String client() {
        return client(flavor.clientProgram);
    }

    private String client(String program) {
        return clientBin.map(dir -> dir.resolve(program).toString()).orElse(program);
    }

    /** A server-side program ({@code mariadbd}, {@code mariadb-install-db}): client-bin, PATH, then sbin directories. */
    String server(String program) throws IOException {
        List<Path> candidates = new ArrayList<>();
        clientBin.ifPresent(dir -> {
            candidates.add(dir.resolve(program));
            if (dir.getParent() != null) {
                candidates.add(dir.getParent().resolve("sbin").resolve(program));
            }
        });
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, program));
                }
            }
        }
        SERVER_DIRECTORIES.forEach(dir -> candidates.add(Path.of(dir, program)));
        return candidates.stream().filter(Files::isExecutable).findFirst().map(Path::toString)
                .orElseThrow(() -> new IOException("'" + program + "' was not found in "
                        + clientBin.map(d -> "client-bin " + d + ", ").orElse("") + "PATH or " + SERVER_DIRECTORIES
                        + "; a temporary " + flavor.product + " instance for restore verification needs the server "
                        + "installed (or verify on a server with a scratch database instead)"));
    }

    /** The version the dump client reports. */
    ServerVersion dumpVersion() throws IOException {
        String output = run(dump(), List.of(dump(), "--version"));
        return ServerVersion.ofClient(output).orElseThrow(() -> new IOException("cannot tell the version of "
                + dump() + " from its --version output: " + output.strip()));
    }

    /** Whether the dump client knows {@code option} (e.g. {@code --source-data}), from its --help. */
    boolean dumpSupports(String option) throws IOException {
        return run(dump(), List.of(dump(), "--help")).contains(option);
    }

    private static String run(String program, List<String> command) throws IOException {
        return new String(process(program, command, Optional.empty()).timeout(VERSION_TIMEOUT).run(),
                StandardCharsets.UTF_8);
    }

    /**
     * A client or server program to run as a child process. Messages name only {@code program}.
     * Its environment is drover's minus {@code MYSQL_PWD}, {@code MARIADB_PWD} and every variable
     * that holds {@code password}, so a password drover itself got from {@code ${env:...}} does not
     * travel on: the programs get it only from an {@link OptionFile}.
     */
    static ChildProcess.Builder process(String program, List<String> command, Optional<String> password) {
        return ChildProcess.builder(program, command)
                .removeEnvironment("MYSQL_PWD", "MARIADB_PWD")
                .removeEnvironmentContaining(password)
                .startHint("install it or set client-bin to the directory that holds it");
    }

    /**
     * Refuses a dump client that cannot dump {@code server} faithfully: the other product (a MySQL
     * client against MariaDB or the reverse), or an older major version than the server's.
     */
    static void requireCompatible(String dumpProgram, ServerVersion client, ServerVersion server) throws IOException {
        String fix = "install the " + server.product() + " client " + server.major() + "." + server.minor()
                + " or newer, or set client-bin to the directory that holds it";
        if (client.mariadb() != server.mariadb()) {
            throw new IOException(dumpProgram + " is a " + client + " client but the server is " + server
                    + "; a " + client.product() + " client does not dump " + server.product() + " faithfully: " + fix);
        }
        if (client.major() < server.major()) {
            throw new IOException(dumpProgram + " is " + client + ", older than the server " + server
                    + "; an older client may miss newer features in the dump: " + fix);
        }
    }
}
