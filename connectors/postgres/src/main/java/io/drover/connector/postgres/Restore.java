package io.drover.connector.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Loads a dump written by a {@code postgres} source with {@code pg_restore}. */
final class Restore {
    static final String GLOBALS = "globals.sql";
    static final String CUSTOM_SUFFIX = ".dump";
    static final String DIRECTORY_SUFFIX = ".dir";

    private Restore() {
    }

    /** The dump among a recovery point's restored files: one {@code <db>.dump} file or {@code <db>.dir} directory. */
    static Path findDump(Path files) throws IOException {
        List<Path> dumps = new ArrayList<>();
        try (Stream<Path> children = Files.list(files)) {
            for (Path child : children.sorted().toList()) {
                String name = child.getFileName().toString();
                if (name.endsWith(CUSTOM_SUFFIX) && Files.isRegularFile(child)
                        || name.endsWith(DIRECTORY_SUFFIX) && Files.isDirectory(child)) {
                    dumps.add(child);
                }
            }
        }
        if (dumps.isEmpty()) {
            throw new IOException("no PostgreSQL dump (<dbname>.dump or <dbname>.dir) among the restored files in " + files
                    + ": not a backup of a postgres source");
        }
        if (dumps.size() > 1) {
            throw new IOException("more than one PostgreSQL dump among the restored files in " + files + ": "
                    + dumps.stream().map(p -> p.getFileName().toString()).toList());
        }
        return dumps.getFirst();
    }

    /**
     * Runs {@code pg_restore --no-owner --no-privileges --exit-on-error} of {@code dump} into
     * {@code target}; parallel with {@code jobs} for a directory dump.
     */
    static void load(ClientTools tools, Map<String, String> environment, Path dump, PostgresUrl target, int jobs,
                     Duration timeout, Duration reportedTimeout) throws IOException {
        List<String> command = new ArrayList<>(List.of(tools.path("pg_restore"), "--no-owner", "--no-privileges",
                "--exit-on-error", "--no-password", "-d", target.conninfo()));
        if (Files.isDirectory(dump) && jobs > 1) {
            command.addAll(List.of("-j", String.valueOf(jobs)));
        }
        command.add(dump.toString());
        try {
            ClientTools.process("pg_restore", command).environment(environment).timeout(timeout)
                    .reportedTimeout(reportedTimeout).run();
        } catch (IOException e) {
            throw new IOException("cannot load " + dump.getFileName() + " into database " + target.database() + " on "
                    + target.hostPort() + ": " + e.getMessage(), e);
        }
    }

    static String dumpName(Path dump) {
        return dump.getFileName().toString();
    }
}
