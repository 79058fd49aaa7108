package io.drover.core.spi;

import java.time.Clock;

/** The in-memory fake passes the same failover and rejoin contracts as the real database connectors. */
class FakeFailoverDatabaseTest extends DatabaseRejoinContract {
    private final FakeFailoverDatabase.Cluster cluster = new FakeFailoverDatabase.Cluster();

    @Override
    protected ReplicatedDatabase database() {
        return new FakeFailoverDatabase(cluster, Clock.systemUTC());
    }

    @Override
    protected boolean discardsDivergedWrites() {
        return true;
    }

    @Override
    protected ReplicatedDatabase withUnreachableMember() {
        cluster.reachable("dr1", false);
        return new FakeFailoverDatabase(cluster, Clock.systemUTC());
    }

    @Override
    protected void write(String member, String value) throws Exception {
        cluster.write(member, value);
    }

    @Override
    protected boolean has(String member, String value) {
        return cluster.has(member, value);
    }

    @Override
    protected void pauseReplay() {
        cluster.pause();
    }

    @Override
    protected void resumeReplay() {
        cluster.resume();
    }
}
