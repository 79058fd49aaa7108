package io.drover.connector.mariadb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A {@code [client]} option file with the account and, if any, the password, for
 * {@code --defaults-extra-file=} (which must be a client's first argument): the password never
 * goes on a command line or into an environment. The file is {@code 0600} in a {@code 0700}
 * directory of its own; {@link #close()} deletes both.
 */
final class OptionFile implements AutoCloseable {
    private final Path directory;
    private final Path file;

    private OptionFile(Path directory, Path file) {
        this.directory = directory;
        this.file = file;
    }

    static OptionFile write(Endpoint endpoint) throws IOException {
        Path directory = Files.createTempDirectory("drover-mariadb-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = directory.resolve("client.cnf");
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            StringBuilder text = new StringBuilder("[client]\n");
            text.append("user=").append(quote(endpoint.user())).append('\n');
            endpoint.revealedPassword().ifPresent(p -> text.append("password=").append(quote(p)).append('\n'));
            text.append("host=").append(quote(endpoint.host())).append('\n');
            text.append("port=").append(endpoint.port()).append('\n');
            text.append("protocol=TCP\n");
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException | RuntimeException e) {
            delete(directory, file);
            throw e;
        }
        return new OptionFile(directory, file);
    }

    /** The argument that must come first on the client's command line. */
    String argument() {
        return "--defaults-extra-file=" + file;
    }

    /** A double-quoted option value with the escapes the option file parser understands. */
    static String quote(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> quoted.append("\\\\");
                case '"' -> quoted.append("\\\"");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    @Override
    public void close() throws IOException {
        delete(directory, file);
    }

    private static void delete(Path directory, Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(directory);
    }
}
