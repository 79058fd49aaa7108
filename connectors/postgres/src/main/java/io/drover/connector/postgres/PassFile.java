package io.drover.connector.postgres;

import io.drover.core.model.Secret;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The password for the client tools, in a {@code .pgpass}-format file (0600) inside a private
 * directory (0700), deleted on close. The tools get only its path ({@code PGPASSFILE}); the
 * password itself is never on a command line or in an environment.
 */
final class PassFile implements AutoCloseable {
    private final Path directory;
    private final Path file;

    private PassFile(Path directory, Path file) {
        this.directory = directory;
        this.file = file;
    }

    /** A pass file for {@code url}'s user, or one that holds nothing when there is no password. */
    static PassFile create(PostgresUrl url, Optional<Secret> password) throws IOException {
        if (password.isEmpty()) {
            return new PassFile(null, null);
        }
        Path directory = Files.createTempDirectory("drover-pgpass-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = directory.resolve("pgpass");
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.WRITE)) {
                // Any host, port and database: the file serves this one source, whose tools may connect to
                // other databases (a scratch database, a load target) on the same server.
                out.write("*:*:*:" + escape(url.user()) + ":" + escape(password.get().reveal()) + "\n");
            }
        } catch (IOException | RuntimeException e) {
            delete(directory, file);
            throw e;
        }
        return new PassFile(directory, file);
    }

    private static String escape(String field) {
        return field.replace("\\", "\\\\").replace(":", "\\:");
    }

    /**
     * Environment changes for a client tool: {@code PGPASSFILE} when there is a password, and no
     * inherited {@code PGPASSWORD} to compete with it. A {@code null} value removes the variable.
     */
    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        if (file != null) {
            env.put("PGPASSFILE", file.toString());
            env.put("PGPASSWORD", null);
        }
        return env;
    }

    @Override
    public void close() throws IOException {
        if (directory != null) {
            delete(directory, file);
        }
    }

    private static void delete(Path directory, Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(directory);
    }
}
