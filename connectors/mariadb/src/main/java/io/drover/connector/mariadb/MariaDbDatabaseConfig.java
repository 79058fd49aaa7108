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
 * @param replicationUser     the account a member replicates with when drover rejoins it to a new
 *                            primary ({@code CHANGE MASTER TO MASTER_USER}); it needs REPLICATION SLAVE
 *                            on every member that may become the primary. Without it drover cannot rejoin
 * @param replicationPassword that account's password, e.g. {@code ${env:MARIADB_REPLICATION_PASSWORD}};
 *                            it only travels inside the statement sent over JDBC
 */
public record MariaDbDatabaseConfig(Map<String, Member> members, @Default("drover_heartbeat") String heartbeatTable,
                                    @Default("5s") Duration timeout, Optional<String> replicationUser,
                                    Optional<Secret> replicationPassword) {
    /** The site name that marks the primary member. */
    public static final String PRIMARY_SITE = "primary";

    public MariaDbDatabaseConfig {
        Objects.requireNonNull(members, "members");
        Objects.requireNonNull(heartbeatTable, "heartbeatTable");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(replicationUser, "replicationUser");
        Objects.requireNonNull(replicationPassword, "replicationPassword");
        members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    /** A config without a replication account: lag is measured, rejoining is refused. */
    public MariaDbDatabaseConfig(Map<String, Member> members, String heartbeatTable, Duration timeout) {
        this(members, heartbeatTable, timeout, Optional.empty(), Optional.empty());
    }

    /**
     * One server.
     *
     * @param url      {@code mariadb://user@host[:port]/database} ({@code mysql://} for MySQL); no password.
     *                 The user needs, on the primary, SELECT, INSERT, UPDATE and CREATE on the database and
     *                 BINLOG MONITOR (MySQL: REPLICATION CLIENT); on the replicas SELECT on the database and
     *                 REPLICA MONITOR (MySQL: REPLICATION CLIENT). For failover runbooks (fence, promote,
     *                 rejoin) it needs on every member also READ_ONLY ADMIN (to set read_only, which lets it
     *                 write through a fence too), CONNECTION ADMIN and PROCESS (to end sessions), REPLICATION SLAVE
     *                 ADMIN and RELOAD (to stop, reset and point replication),
     *                 BINLOG MONITOR and REPLICA MONITOR (MySQL: SYSTEM_VARIABLES_ADMIN, CONNECTION_ADMIN,
     *                 PROCESS, RELOAD, REPLICATION_SLAVE_ADMIN, REPLICATION CLIENT)
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
