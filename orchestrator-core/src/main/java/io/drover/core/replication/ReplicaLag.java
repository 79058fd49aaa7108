package io.drover.core.replication;

import io.drover.core.catalog.ReplicaStateRecord;
import io.drover.core.spi.ReplicationSample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a connector's raw {@link ReplicationSample} into lag, the one place this is computed.
 *
 * <p>drover writes a heartbeat on the primary every {@code interval} and samples right after. A
 * standby that has replayed the primary's newest heartbeat lags by nothing measurable. A standby
 * whose newest heartbeat is {@code h} lacks the one written about {@code h + interval}, so its
 * data is missing since then: lag = primary's now − (h + interval), never negative. This stays
 * exact when the database is idle, unlike the age of the last replayed transaction, and is
 * accurate to about one interval.
 */
public final class ReplicaLag {
    private ReplicaLag() {
    }

    public static List<ReplicaStateRecord> measure(String database, ReplicationSample sample, Duration interval,
                                                   Instant sampledAt) {
        List<ReplicaStateRecord> states = new ArrayList<>();
        for (ReplicationSample.Standby standby : sample.standbys()) {
            states.add(new ReplicaStateRecord(database, standby.member(), standby.site(), sampledAt, standby.reachable(),
                    lag(sample, standby, interval), standby.bytesBehind(), standby.heartbeat(), standby.detail()));
        }
        return states;
    }

    static Optional<Duration> lag(ReplicationSample sample, ReplicationSample.Standby standby, Duration interval) {
        if (!standby.reachable() || standby.heartbeat().isEmpty() || sample.primaryHeartbeat().isEmpty()) {
            return Optional.empty();
        }
        Instant replayed = standby.heartbeat().get();
        if (!replayed.isBefore(sample.primaryHeartbeat().get())) {
            return Optional.of(Duration.ZERO);
        }
        Duration behind = Duration.between(replayed.plus(interval), sample.primaryNow());
        return Optional.of(behind.isNegative() ? Duration.ZERO : behind);
    }

    /**
     * The lag to count now for a stored measurement: measurements come every {@code interval};
     * one older than two intervals (no daemon sampling, primary unreachable) is aged by the time
     * since, because nothing is known about that time.
     */
    public static Optional<Duration> effective(ReplicaStateRecord state, Duration interval, Instant now) {
        Duration age = Duration.between(state.sampledAt(), now).minus(interval.multipliedBy(2));
        return state.lag().map(lag -> age.isNegative() ? lag : lag.plus(age));
    }
}
