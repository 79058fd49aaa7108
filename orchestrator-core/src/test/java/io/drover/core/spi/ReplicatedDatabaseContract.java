package io.drover.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.catalog.ReplicaStateRecord;
import io.drover.core.replication.ReplicaLag;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link ReplicatedDatabase} as tests, with lag computed by core's {@link ReplicaLag}.
 * The fixture is a primary with one streaming standby whose replay the test can pause.
 */
public abstract class ReplicatedDatabaseContract {
    /** Heartbeats in these tests come this often. */
    protected static final Duration INTERVAL = Duration.ofMillis(500);

    /** The database under test: a primary and one standby, replication running. */
    protected abstract ReplicatedDatabase database() throws Exception;

    /** Stops the standby applying what it receives (PostgreSQL: replay pause; MariaDB: stop the SQL thread). */
    protected abstract void pauseReplication() throws Exception;

    protected abstract void resumeReplication() throws Exception;

    private ReplicaStateRecord heartbeatAndSample(ReplicatedDatabase database) throws Exception {
        database.writeHeartbeat();
        ReplicationSample sample = database.sample();
        assertThat(sample.standbys()).hasSize(1);
        return ReplicaLag.measure("db", sample, INTERVAL, Instant.now()).getFirst();
    }

    /** Heartbeats every INTERVAL for {@code duration}; returns the last measurement. */
    private ReplicaStateRecord heartbeatFor(ReplicatedDatabase database, Duration duration) throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        ReplicaStateRecord last = heartbeatAndSample(database);
        while (System.nanoTime() < end) {
            Thread.sleep(INTERVAL.toMillis());
            last = heartbeatAndSample(database);
        }
        return last;
    }

    @Test
    void anIdleStandbyInSyncLagsByLessThanAnInterval() throws Exception {
        try (ReplicatedDatabase database = database()) {
            assertThat(database.sites()).hasSize(2).containsValue("primary");
            ReplicaStateRecord state = heartbeatFor(database, Duration.ofSeconds(3));
            assertThat(state.reachable()).as(state.detail()).isTrue();
            assertThat(state.lag()).as(state.detail()).isPresent();
            assertThat(state.lag().get()).isLessThanOrEqualTo(INTERVAL);
            assertThat(state.heartbeatAt()).isPresent();
            assertThat(state.detail()).isNotBlank();
        }
    }

    @Test
    void aPausedStandbyFallsBehindByTheTimeSinceThePauseAndCatchesUpWhenResumed() throws Exception {
        try (ReplicatedDatabase database = database()) {
            heartbeatFor(database, Duration.ofSeconds(2));
            pauseReplication();
            Instant paused = Instant.now();
            try {
                ReplicaStateRecord behind = heartbeatFor(database, Duration.ofSeconds(4));
                Duration truth = Duration.between(paused, Instant.now());
                assertThat(behind.lag()).as(behind.detail()).isPresent();
                assertThat(behind.lag().get()).as("lag vs %s since the pause", truth)
                        .isBetween(truth.minusSeconds(1), truth.plusSeconds(1));
                assertThat(behind.bytesBehind()).as("the heartbeats wrote data the standby has not applied")
                        .hasValueSatisfying(bytes -> assertThat(bytes).isPositive());
            } finally {
                resumeReplication();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            ReplicaStateRecord state = heartbeatAndSample(database);
            while (System.nanoTime() < deadline && state.lag().orElse(Duration.ofDays(1)).compareTo(INTERVAL) > 0) {
                Thread.sleep(INTERVAL.toMillis());
                state = heartbeatAndSample(database);
            }
            assertThat(state.lag()).as(state.detail()).hasValueSatisfying(lag -> assertThat(lag).isLessThanOrEqualTo(INTERVAL));
        }
    }

    @Test
    void samplesOfAStandbyThatCannotBeReachedSaySoInsteadOfFailing() throws Exception {
        try (ReplicatedDatabase database = unreachableStandby()) {
            database.writeHeartbeat();
            List<ReplicationSample.Standby> standbys = database.sample().standbys();
            assertThat(standbys).singleElement().satisfies(standby -> {
                assertThat(standby.reachable()).isFalse();
                assertThat(standby.detail()).isNotBlank();
            });
        }
    }

    /** The same primary with its standby member pointing at a port nothing listens on. */
    protected abstract ReplicatedDatabase unreachableStandby() throws Exception;
}
