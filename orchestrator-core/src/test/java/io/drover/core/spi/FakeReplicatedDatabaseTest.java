package io.drover.core.spi;

import java.time.Clock;

/** The in-memory fake passes the same contract as the real database connectors. */
class FakeReplicatedDatabaseTest extends ReplicatedDatabaseContract {
    private final FakeReplicatedDatabase.Cluster cluster = new FakeReplicatedDatabase.Cluster();

    @Override
    protected ReplicatedDatabase database() {
        return new FakeReplicatedDatabase(cluster, Clock.systemUTC(), true);
    }

    @Override
    protected void pauseReplication() {
        cluster.pause();
    }

    @Override
    protected void resumeReplication() {
        cluster.resume();
    }

    @Override
    protected ReplicatedDatabase unreachableStandby() {
        return new FakeReplicatedDatabase(cluster, Clock.systemUTC(), false);
    }
}
