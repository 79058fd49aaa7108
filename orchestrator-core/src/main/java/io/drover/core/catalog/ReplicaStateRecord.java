package io.drover.core.catalog;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The newest measurement of one standby of a database under {@code databases:}.
 *
 * @param lag         how far the standby's data is behind the primary; empty when it could not be
 *                    measured (standby unreachable, no heartbeat yet)
 * @param heartbeatAt the newest heartbeat the standby had replayed
 */
public record ReplicaStateRecord(String database, String member, String site, Instant sampledAt, boolean reachable,
                                 Optional<Duration> lag, Optional<Long> bytesBehind, Optional<Instant> heartbeatAt,
                                 String detail) {
    public ReplicaStateRecord {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(sampledAt, "sampledAt");
        Objects.requireNonNull(lag, "lag");
        Objects.requireNonNull(bytesBehind, "bytesBehind");
        Objects.requireNonNull(heartbeatAt, "heartbeatAt");
        Objects.requireNonNull(detail, "detail");
    }
}
