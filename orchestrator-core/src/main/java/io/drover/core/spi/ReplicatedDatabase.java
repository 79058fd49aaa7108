package io.drover.core.spi;

import java.io.IOException;
import java.util.Map;

/**
 * A replicated database from the {@code databases:} section: members on sites, one of them the
 * primary. drover measures replica lag with a heartbeat row it writes on the primary and reads on
 * every standby, which stays exact when the database is idle (a replay time stamp does not).
 * Runbook actions (promote, fence, rebuild) come later on the same object.
 */
public interface ReplicatedDatabase extends AutoCloseable {

    /** What it is, for messages; never contains credentials. */
    String describe();

    /** Every member's site, by member name, e.g. {@code dc1 → primary}, {@code dr1 → dr}. */
    Map<String, String> sites();

    /**
     * Writes one heartbeat on the primary (creating the heartbeat table the first time) stamped
     * with the primary's own clock.
     *
     * @throws IOException when the primary cannot be reached or written
     */
    void writeHeartbeat() throws IOException;

    /**
     * Reads, as close to the same moment as possible, the primary's clock and newest heartbeat and
     * every standby's newest replayed heartbeat and position. A standby that cannot be reached is
     * reported in its {@link ReplicationSample.Standby}, not thrown.
     *
     * @throws IOException when the primary cannot be reached
     */
    ReplicationSample sample() throws IOException;

    @Override
    default void close() throws IOException {
    }
}
