package io.drover.connector.postgres;

import io.drover.core.model.Secret;
import io.drover.core.spi.Default;
import java.time.Duration;
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
     * @param url      {@code postgresql://user@host:port/dbname}, the same database on every member;
     *                 never with a password in it
     * @param site     where it runs: {@code primary} for the one that is written to, any other
     *                 name (e.g. {@code dr}) for a standby
     * @param password the user's password, e.g. {@code ${env:PGPASSWORD}}; sent only in the
     *                 connection's properties
     */
    public record Member(String url, String site, Optional<Secret> password) {
        public Member {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(site, "site");
            Objects.requireNonNull(password, "password");
        }
    }
}
