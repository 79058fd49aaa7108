package io.drover.connector.postgres;

import io.drover.core.model.Secret;
import io.drover.core.spi.Default;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Config of a {@code postgres} source.
 *
 * @param url         {@code postgresql://user@host:port/dbname} (also {@code postgres://}); port 5432 if absent;
 *                    never with a password in it
 * @param password    the user's password, e.g. {@code ${env:PGPASSWORD}}; handed to the client tools in a
 *                    private pass file, never on a command line or in an environment variable
 * @param mode        how the database is backed up; only {@code logical} ({@code pg_dump}) for now
 * @param format      {@code custom}: one {@code <dbname>.dump} streamed from {@code pg_dump -Fc};
 *                    {@code directory}: {@code <dbname>.dir/} written by {@code pg_dump -Fd -j jobs}
 * @param jobs        parallel jobs of {@code pg_dump}/{@code pg_restore} for the directory format
 * @param globals     whether roles and tablespaces ({@code pg_dumpall --globals-only}) are stored as
 *                    {@code globals.sql}
 * @param canary      whether a marker row is written just before each dump, for restore verification
 * @param canaryTable the table of the marker rows, created if missing
 * @param clientBin   the directory of {@code pg_dump}, {@code pg_restore}, ...; by default the server's
 *                    major version under {@code /usr/lib/postgresql}, else the PATH
 * @param timeout     how long one backup (or one load) may take before the tools are killed
 */
public record PostgresSourceConfig(String url, Optional<Secret> password, @Default("logical") Mode mode,
                                   @Default("custom") Format format, @Default("2") int jobs,
                                   @Default("true") boolean globals, @Default("false") boolean canary,
                                   @Default("drover_canary") String canaryTable, Optional<Path> clientBin,
                                   @Default("12h") Duration timeout) {
    public PostgresSourceConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(canaryTable, "canaryTable");
        Objects.requireNonNull(clientBin, "clientBin");
        Objects.requireNonNull(timeout, "timeout");
    }

    /** How the database is backed up. */
    public enum Mode {
        /** {@code pg_dump}: a logical, consistent dump of one database. */
        LOGICAL
    }

    /** The archive format of {@code pg_dump}. */
    public enum Format {
        /** {@code pg_dump -Fc}, streamed straight into the backup. */
        CUSTOM,
        /** {@code pg_dump -Fd -j jobs}, staged on local disk, one entry per file. */
        DIRECTORY
    }
}
