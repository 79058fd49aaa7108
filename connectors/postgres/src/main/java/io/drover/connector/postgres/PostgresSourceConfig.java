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
 * @param mode        how the database is backed up: {@code logical} ({@code pg_dump} of one database),
 *                    {@code physical} (a base backup of the whole cluster with {@code pg_basebackup}) or
 *                    {@code wal} (continuous archiving of the cluster's WAL with {@code pg_receivewal},
 *                    one archive run per backup); physical and wal need a user with the
 *                    {@code REPLICATION} attribute and a {@code replication} line in {@code pg_hba.conf}
 * @param format      {@code custom}: one {@code <dbname>.dump} streamed from {@code pg_dump -Fc};
 *                    {@code directory}: {@code <dbname>.dir/} written by {@code pg_dump -Fd -j jobs}
 * @param jobs        parallel jobs of {@code pg_dump}/{@code pg_restore} for the directory format
 * @param globals     whether roles and tablespaces ({@code pg_dumpall --globals-only}) are stored as
 *                    {@code globals.sql}
 * @param canary      whether a marker row is written just before each dump (or base backup, in
 *                    {@code mode: physical}; into the URL's database), for restore verification
 * @param canaryTable the table of the marker rows, created if missing
 * @param clientBin   the directory of {@code pg_dump}, {@code pg_restore}, ...; by default the server's
 *                    major version under {@code /usr/lib/postgresql}, else the PATH
 * @param timeout     how long one backup (or one load) may take before the tools are killed
 * @param slot        for {@code mode: wal}: the physical replication slot that keeps the WAL between
 *                    runs, created if missing; default {@code drover_<source name>}
 */
public record PostgresSourceConfig(String url, Optional<Secret> password, @Default("logical") Mode mode,
                                   @Default("custom") Format format, @Default("2") int jobs,
                                   @Default("true") boolean globals, @Default("false") boolean canary,
                                   @Default("drover_canary") String canaryTable, Optional<Path> clientBin,
                                   @Default("12h") Duration timeout, Optional<String> slot) {
    /** A source without a slot name of its own (logical and physical backups, or the default slot). */
    public PostgresSourceConfig(String url, Optional<Secret> password, Mode mode, Format format, int jobs, boolean globals,
                                boolean canary, String canaryTable, Optional<Path> clientBin, Duration timeout) {
        this(url, password, mode, format, jobs, globals, canary, canaryTable, clientBin, timeout, Optional.empty());
    }

    public PostgresSourceConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(canaryTable, "canaryTable");
        Objects.requireNonNull(clientBin, "clientBin");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(slot, "slot");
    }

    /** How the database is backed up. */
    public enum Mode {
        /** {@code pg_dump}: a logical, consistent dump of one database. */
        LOGICAL,
        /**
         * {@code pg_basebackup -Ft -X fetch}: the whole cluster's files as one {@code base.tar}, with
         * the WAL needed to make them consistent; the base of a point-in-time restore.
         */
        PHYSICAL,
        /**
         * {@code pg_receivewal} through a replication slot, run to the server's current WAL position
         * once per backup: the WAL written since the previous run, for point-in-time restores.
         */
        WAL
    }

    /** The archive format of {@code pg_dump}. */
    public enum Format {
        /** {@code pg_dump -Fc}, streamed straight into the backup. */
        CUSTOM,
        /** {@code pg_dump -Fd -j jobs}, staged on local disk, one entry per file. */
        DIRECTORY
    }
}
