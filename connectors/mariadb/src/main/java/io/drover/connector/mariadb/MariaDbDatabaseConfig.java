package io.drover.connector.mariadb;

import io.drover.core.model.Secret;
import io.drover.core.spi.Default;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Config of a {@code mariadb} or {@code mysql} replicated database under {@code databases:}.
 *
 * @param members        every server by member name: one on site {@code primary}, the others its replicas
 * @param heartbeatTable the table in the members' database that drover writes a heartbeat row into on
 *                       the primary and reads on the replicas; created on the primary if missing
 * @param timeout        how long connecting to a member, or any one of its answers, may take before the
 *                       member counts as unreachable; keeps a dead server from holding up the daemon
 */
public record MariaDbDatabaseConfig(Map<String, Member> members, @Default("drover_heartbeat") String heartbeatTable,
                                    @Default("5s") Duration timeout) {
    /** The site name that marks the primary member. */
    public static final String PRIMARY_SITE = "primary";

    public MariaDbDatabaseConfig {
        Objects.requireNonNull(members, "members");
        Objects.requireNonNull(heartbeatTable, "heartbeatTable");
        Objects.requireNonNull(timeout, "timeout");
        members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    /**
     * One server.
     *
     * @param url      {@code mariadb://user@host[:port]/database} ({@code mysql://} for MySQL); no password.
     *                 The user needs, on the primary, SELECT, INSERT, UPDATE and CREATE on the database and
     *                 BINLOG MONITOR (MySQL: REPLICATION CLIENT); on the replicas SELECT on the database and
     *                 REPLICA MONITOR (MySQL: REPLICATION CLIENT)
     * @param site     where it runs: {@code primary} for the primary, any other name (e.g. {@code dr}) for a replica
     * @param password the user's password, e.g. {@code ${env:MARIADB_PASSWORD}}
     */
    public record Member(String url, String site, Optional<Secret> password) {
        public Member {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(site, "site");
            Objects.requireNonNull(password, "password");
        }
    }
}
