package io.drover.core.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One measurement of a replicated database. Core turns it into lag (see
 * {@code io.drover.core.replication.ReplicaLag}); the connector only reports what it read.
 *
 * @param primary          the primary member's name
 * @param primaryNow       the primary's clock when it was read
 * @param primaryHeartbeat the newest heartbeat on the primary
 * @param standbys         every other member
 */
public record ReplicationSample(String primary, Instant primaryNow, Optional<Instant> primaryHeartbeat,
                                List<Standby> standbys) {
    public ReplicationSample {
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(primaryNow, "primaryNow");
        Objects.requireNonNull(primaryHeartbeat, "primaryHeartbeat");
        standbys = List.copyOf(standbys);
    }

    /**
     * One standby.
     *
     * @param reachable   whether it answered
     * @param heartbeat   the newest heartbeat it has replayed
     * @param bytesBehind how far its replay is behind the primary's write position (WAL bytes for
     *                    PostgreSQL, binlog bytes for MariaDB), when both positions were read
     * @param detail      its replication state in the connector's words (e.g. {@code streaming},
     *                    {@code replay paused}), or why it could not be read
     */
    public record Standby(String member, String site, boolean reachable, Optional<Instant> heartbeat,
                          Optional<Long> bytesBehind, String detail) {
        public Standby {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(site, "site");
            Objects.requireNonNull(heartbeat, "heartbeat");
            Objects.requireNonNull(bytesBehind, "bytesBehind");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
