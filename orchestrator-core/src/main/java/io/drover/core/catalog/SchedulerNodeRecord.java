package io.drover.core.catalog;

import java.time.Instant;
import java.util.Optional;

/**
 * A {@code drover serve} node as it last reported itself.
 *
 * @param clockSkewMillis the node's clock minus the database's clock at its last heartbeat
 */
public record SchedulerNodeRecord(String node, String host, long pid, String version, Instant startedAt,
                                  Instant heartbeatAt, long clockSkewMillis, Optional<Instant> stoppedAt) {
}
