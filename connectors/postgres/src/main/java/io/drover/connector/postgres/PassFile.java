package io.drover.connector.postgres;

import io.drover.connector.support.SecretFile;
import io.drover.core.model.Secret;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The password for the client tools, in a {@code .pgpass}-format file: a {@link SecretFile}
 * ({@code 0600} in a {@code 0700} directory of its own), deleted on close. The tools get only its
 * path ({@code PGPASSFILE}); the password itself is never on a command line or in an environment.
 */
final class PassFile implements AutoCloseable {
    /** Empty when there is no password. */
    private final Optional<SecretFile> file;

    private PassFile(Optional<SecretFile> file) {
        this.file = file;
    }

    /** A pass file for {@code url}'s user, or one that holds nothing when there is no password. */
    static PassFile create(PostgresUrl url, Optional<Secret> password) throws IOException {
        if (password.isEmpty()) {
            return new PassFile(Optional.empty());
        }
        // Any host, port and database: the file serves this one source, whose tools may connect to
        // other databases (a scratch database, a load target) on the same server.
        return new PassFile(Optional.of(SecretFile.write("drover-pgpass-", "pgpass",
                "*:*:*:" + escape(url.user()) + ":" + escape(password.get().reveal()) + "\n")));
    }

    private static String escape(String field) {
        return field.replace("\\", "\\\\").replace(":", "\\:");
    }

    /**
     * Environment changes for a client tool: {@code PGPASSFILE} when there is a password, and no
     * inherited {@code PGPASSWORD} to compete with it. A {@code null} value removes the variable
     * (as {@link io.drover.connector.support.ChildProcess.Builder#environment(Map)} does).
     */
    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        file.ifPresent(secret -> {
            env.put("PGPASSFILE", secret.path().toString());
            env.put("PGPASSWORD", null);
        });
        return env;
    }

    /**
     * Gives the file (still {@code 0600}, in its {@code 0700} directory) to {@code user}, when drover
     * runs as root and the tool runs as that user: it must read the file, and nobody else may.
     */
    void handOver(String user) throws IOException {
        if (file.isPresent()) {
            OsUser.handOver(file.get().path().getParent(), user);
            OsUser.handOver(file.get().path(), user);
        }
    }

    @Override
    public void close() throws IOException {
        if (file.isPresent()) {
            file.get().close();
        }
    }
}
