package io.drover.connector.postgres;

import io.drover.connector.support.ChildProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL programs drover runs, from one directory (or the PATH), and their version.
 *
 * @param bin     the directory of the programs; empty for the PATH
 * @param version the version of {@code pg_dump} there, as {@link #versionKey} numbers it
 */
record ClientTools(Optional<Path> bin, int version) {
    static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?");

    /** The command to run {@code program} (e.g. {@code pg_dump}). */
    String path(String program) {
        return bin.map(dir -> dir.resolve(program).toString()).orElse(program);
    }

    /**
     * A PostgreSQL program to run as a child process; messages name only {@code name} (the program,
     * e.g. {@code pg_dump}), never the arguments. The caller adds the environment (a
     * {@link PassFile}'s) and the timeout.
     */
    static ChildProcess.Builder process(String name, List<String> command) {
        return ChildProcess.builder(name, command).startHint("install the PostgreSQL client tools or set client-bin");
    }

    /** Where the tools are, for messages. */
    String where() {
        return bin.map(Path::toString).orElse("the PATH");
    }

    /**
     * Chooses the tools for a server of {@code serverVersionNum} ({@code server_version_num}):
     * {@code clientBin} if set, else {@code /usr/lib/postgresql/<major>/bin} if it exists, else the
     * PATH; and refuses a {@code pg_dump} older than the server.
     */
    static ClientTools select(Optional<Path> clientBin, int serverVersionNum, String server, Duration timeout)
            throws IOException {
        int serverKey = versionKey(serverVersionNum);
        Optional<Path> bin = clientBin.or(() -> Optional.of(DEBIAN_ROOT.resolve(majorName(serverKey)).resolve("bin"))
                .filter(dir -> Files.isExecutable(dir.resolve("pg_dump"))));
        ClientTools tools = probe(bin, timeout);
        if (tools.version() < serverKey) {
            throw new IOException("pg_dump " + majorName(tools.version()) + " (in " + tools.where()
                    + ") is older than the PostgreSQL " + majorName(serverKey) + " server at " + server
                    + " and cannot dump it; install the client tools of PostgreSQL " + majorName(serverKey)
                    + " or newer (e.g. apt-get install postgresql-client-" + majorName(serverKey)
                    + ") or set client-bin to their directory");
        }
        return tools;
    }

    /** The tools in {@code bin} (or on the PATH) with the version {@code pg_dump --version} reports. */
    static ClientTools probe(Optional<Path> bin, Duration timeout) throws IOException {
        return probe(bin, "pg_dump", timeout);
    }

    /** The tools in {@code bin} (or on the PATH) with the version {@code <program> --version} reports. */
    static ClientTools probe(Optional<Path> bin, String program, Duration timeout) throws IOException {
        ClientTools unversioned = new ClientTools(bin, 0);
        String output = new String(process(program, List.of(unversioned.path(program), "--version")).timeout(timeout)
                .run(), StandardCharsets.UTF_8).strip();
        return new ClientTools(bin, parseVersion(output).orElseThrow(() -> new IOException(
                "cannot tell the version of " + program + " in " + unversioned.where() + " from its output '" + output + "'")));
    }

    /**
     * The server programs ({@code initdb}, {@code pg_ctl}, {@code postgres}) for a temporary instance
     * that can load a dump of a version {@code wanted} server: the same major version if installed
     * ({@code /usr/lib/postgresql/<major>/bin}, {@code clientBin}, the PATH), else the oldest newer one.
     */
    static ClientTools serverPrograms(Optional<Path> clientBin, int wanted, Duration timeout) throws IOException {
        List<Optional<Path>> candidates = new java.util.ArrayList<>();
        candidates.add(Optional.of(DEBIAN_ROOT.resolve(majorName(wanted)).resolve("bin")));
        clientBin.ifPresent(dir -> candidates.add(Optional.of(dir)));
        if (Files.isDirectory(DEBIAN_ROOT)) {
            try (var versions = Files.list(DEBIAN_ROOT)) {
                versions.map(dir -> dir.resolve("bin")).sorted().forEach(dir -> candidates.add(Optional.of(dir)));
            }
        }
        candidates.add(Optional.empty());
        ClientTools best = null;
        List<String> seen = new java.util.ArrayList<>();
        for (Optional<Path> bin : candidates) {
            if (bin.isPresent() && !Files.isExecutable(bin.get().resolve("initdb"))) {
                continue;
            }
            ClientTools tools;
            try {
                tools = probe(bin, "initdb", timeout);
            } catch (IOException e) {
                continue; // not on the PATH either
            }
            seen.add(majorName(tools.version()) + " in " + tools.where());
            if (tools.version() == wanted) {
                return tools;
            }
            if (tools.version() > wanted && (best == null || tools.version() < best.version())) {
                best = tools;
            }
        }
        if (best != null) {
            return best;
        }
        throw new IOException("no PostgreSQL server programs (initdb) of version " + majorName(wanted)
                + " or newer to start a temporary instance with" + (seen.isEmpty() ? "" : " (found " + seen + ")")
                + "; install postgresql-" + majorName(wanted) + ", set client-bin to its bin directory,"
                + " or verify on a server instead");
    }

    /** The version in {@code pg_dump --version} output ({@code pg_dump (PostgreSQL) 15.20 (Debian ...)}). */
    static Optional<Integer> parseVersion(String output) {
        Matcher m = VERSION.matcher(output);
        if (!m.find()) {
            return Optional.empty();
        }
        int major = Integer.parseInt(m.group(1));
        if (major >= 10) {
            return Optional.of(major * 100);
        }
        return Optional.of(major * 100 + (m.group(2) == null ? 0 : Integer.parseInt(m.group(2))));
    }

    /**
     * A comparable number of a major version: 1500 for 15, 906 for 9.6, from
     * {@code server_version_num} (150020, 90624).
     */
    static int versionKey(int serverVersionNum) {
        return serverVersionNum >= 100000 ? serverVersionNum / 10000 * 100 : serverVersionNum / 100;
    }

    /** The name of a major version: {@code 15}, {@code 9.6}. */
    static String majorName(int versionKey) {
        return versionKey >= 1000 ? String.valueOf(versionKey / 100) : versionKey / 100 + "." + versionKey % 100;
    }
}
