package io.drover.connector.postgres;

import io.drover.core.model.Secret;
import io.drover.core.spi.Default;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Config of a {@code postgres} replicated database under {@code databases:}: a primary and its
 * streaming (physical) standbys.
 *
 * @param members        every server by member name, e.g. {@code dc1}, {@code dr1}; exactly one on
 *                       site {@code primary}
 * @param heartbeatTable the table drover writes its heartbeat row into on the primary (created
 *                       there if missing) and reads on the standbys; {@code table} or
 *                       {@code schema.table}
 * @param timeout        how long connecting to a member and each statement may take before it
 *                       counts as unreachable, so that a dead server never holds up the daemon
 */
public record PostgresDatabaseConfig(Map<String, Member> members, @Default("drover_heartbeat") String heartbeatTable,
                                     @Default("5s") Duration timeout) {
    /** The site whose member is written to. */
    public static final String PRIMARY_SITE = "primary";

    public PostgresDatabaseConfig {
        Objects.requireNonNull(members, "members");
        Objects.requireNonNull(heartbeatTable, "heartbeatTable");
        Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * One server.
     *
     * @param url          {@code postgresql://user@host:port/dbname}, the same database on every member;
     *                     never with a password in it
     * @param site         where it runs: {@code primary} for the one that is written to, any other
     *                     name (e.g. {@code dr}) for a standby
     * @param password     the user's password, e.g. {@code ${env:PGPASSWORD}}; sent only in the
     *                     connection's properties, and to {@code pg_rewind}/{@code pg_basebackup} in a
     *                     private pass file
     * @param dataDir      the member's data directory on the host where drover runs; needed to rejoin
     *                     it as a standby after a switchover or failover, since that stops it and
     *                     rewinds or replaces its files
     * @param osUser       the operating-system user that owns the data directory and runs the server;
     *                     {@code pg_ctl}, {@code pg_rewind} and {@code pg_basebackup} run as this user
     *                     when drover runs as root
     * @param rejoin       how a rejoin brings the member's data in line with the new primary:
     *                     {@code rewind} ({@code pg_rewind}), {@code base-backup} (a new copy) or
     *                     {@code auto} (rewind, else a base backup; see {@link RejoinMethod#AUTO})
     * @param startCommand how to start the server, for one that a service manager runs (e.g.
     *                     {@code [pg_ctlcluster, "15", main, start]}); by default
     *                     {@code pg_ctl -D <data-dir> -w start}, run as {@code os-user}
     * @param stopCommand  how to stop it; by default {@code pg_ctl -D <data-dir> -m fast -w stop}
     */
    public record Member(String url, String site, Optional<Secret> password, Optional<Path> dataDir,
                         @Default("postgres") String osUser, @Default("auto") RejoinMethod rejoin,
                         Optional<List<String>> startCommand, Optional<List<String>> stopCommand) {
        public Member {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(site, "site");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(osUser, "osUser");
            Objects.requireNonNull(rejoin, "rejoin");
            startCommand = startCommand.map(List::copyOf);
            stopCommand = stopCommand.map(List::copyOf);
        }

        /** A member that drover only connects to: it cannot rejoin it, having no data directory. */
        public Member(String url, String site, Optional<Secret> password) {
            this(url, site, password, Optional.empty(), "postgres", RejoinMethod.AUTO, Optional.empty(), Optional.empty());
        }
    }

    /** How a rejoin brings a former primary's data in line with the new primary. */
    public enum RejoinMethod {
        /**
         * {@code pg_rewind} when it can; otherwise a new base backup. "Cannot" is decided before
         * anything is changed: the data directory has neither {@code wal_log_hints} nor data
         * checksums, the primary has {@code full_page_writes} off, a {@code pg_rewind --dry-run}
         * fails (no common history, WAL no longer there, ...), or an earlier rejoin's
         * {@code pg_rewind} was interrupted (its result cannot be trusted). A {@code pg_rewind} that
         * fails after its dry run succeeded is not followed by a base backup at once: the rejoin
         * fails, and repeating it takes the base backup.
         */
        AUTO,
        /** Only {@code pg_rewind}: copies just the blocks that changed since the histories forked. */
        REWIND,
        /**
         * A new {@code pg_basebackup} from the primary; the old data directory is moved aside and
         * deleted only once the new one runs as a standby, so it needs room for a second copy.
         */
        BASE_BACKUP
    }
}
