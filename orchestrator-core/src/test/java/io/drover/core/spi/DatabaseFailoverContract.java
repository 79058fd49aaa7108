package io.drover.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link DatabaseFailover} as tests. Each test gets a fresh fixture from
 * {@link #database()}: member {@code dc1} a writable primary, {@code dr1} its streaming standby.
 * Tests promote {@code dr1}, so the fixture must not be shared between tests.
 */
public abstract class DatabaseFailoverContract {

    /** A fresh primary {@code dc1} with a streaming standby {@code dr1}; also a {@link DatabaseFailover}. */
    protected abstract ReplicatedDatabase database() throws Exception;

    /** The same primary with a third member {@code gone} (or {@code dr1}) that cannot be reached. */
    protected abstract ReplicatedDatabase withUnreachableMember() throws Exception;

    /** The name of the unreachable member of {@link #withUnreachableMember()}. */
    protected String unreachableMember() {
        return "dr1";
    }

    /** Writes the row {@code value} on {@code member}; throws when the member refuses the write. */
    protected abstract void write(String member, String value) throws Exception;

    /** Whether the row {@code value} is on {@code member}. */
    protected abstract boolean has(String member, String value) throws Exception;

    protected abstract void pauseReplay() throws Exception;

    protected abstract void resumeReplay() throws Exception;

    static DatabaseFailover failover(ReplicatedDatabase database) {
        assertThat(database).isInstanceOf(DatabaseFailover.class);
        return (DatabaseFailover) database;
    }

    @Test
    void aPrimaryIsWritableAndAStandbyIsNot() throws Exception {
        try (ReplicatedDatabase database = database()) {
            DatabaseFailover failover = failover(database);
            DatabaseFailover.MemberStatus primary = failover.status("dc1");
            assertThat(primary.reachable()).as(primary.detail()).isTrue();
            assertThat(primary.role()).isEqualTo(DatabaseFailover.Role.PRIMARY);
            assertThat(primary.writable()).isTrue();
            assertThat(primary.fenced()).isFalse();
            assertThat(primary.writablePrimary()).isTrue();
            assertThat(primary.currentLsn()).isPresent();
            assertThat(primary.detail()).isNotBlank();

            DatabaseFailover.MemberStatus standby = failover.status("dr1");
            assertThat(standby.reachable()).as(standby.detail()).isTrue();
            assertThat(standby.role()).isEqualTo(DatabaseFailover.Role.STANDBY);
            assertThat(standby.writable()).isFalse();
            assertThat(standby.writablePrimary()).isFalse();
            assertThat(standby.replayLsn()).isPresent();
            assertThat(failover.fenced("dc1")).isFalse();
            assertThatThrownBy(() -> failover.status("nobody")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("nobody");
        }
    }

    @Test
    void anUnreachableMemberIsReportedNotThrown() throws Exception {
        try (ReplicatedDatabase database = withUnreachableMember()) {
            DatabaseFailover.MemberStatus status = failover(database).status(unreachableMember());
            assertThat(status.reachable()).isFalse();
            assertThat(status.role()).isEqualTo(DatabaseFailover.Role.UNKNOWN);
            assertThat(status.writablePrimary()).isFalse();
            assertThat(status.detail()).isNotBlank();
            assertThatThrownBy(() -> failover(database).fence(unreachableMember())).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aFencedPrimaryTakesNoMoreWritesAndFencingAgainChangesNothing() throws Exception {
        try (ReplicatedDatabase database = database()) {
            DatabaseFailover failover = failover(database);
            write("dc1", "before-fence");
            failover.fence("dc1");
            assertThat(failover.fenced("dc1")).isTrue();
            DatabaseFailover.MemberStatus fenced = failover.status("dc1");
            assertThat(fenced.reachable()).isTrue();
            assertThat(fenced.role()).isEqualTo(DatabaseFailover.Role.PRIMARY);
            assertThat(fenced.writable()).isFalse();
            assertThat(fenced.fenced()).isTrue();
            assertThat(fenced.writablePrimary()).isFalse();
            assertThatThrownBy(() -> write("dc1", "after-fence")).as("a write after the fence").isInstanceOf(Exception.class);

            failover.fence("dc1");
            assertThat(failover.fenced("dc1")).isTrue();
            assertThat(has("dc1", "before-fence")).isTrue();
            assertThat(has("dc1", "after-fence")).isFalse();
        }
    }

    @Test
    void unfencingLetsThePrimaryTakeWritesAgainAndTwiceChangesNothing() throws Exception {
        try (ReplicatedDatabase database = database()) {
            DatabaseFailover failover = failover(database);
            failover.unfence("dc1");
            assertThat(failover.status("dc1").writablePrimary()).as("unfencing an unfenced primary").isTrue();
            failover.fence("dc1");
            assertThatThrownBy(() -> write("dc1", "while-fenced")).isInstanceOf(Exception.class);
            failover.unfence("dc1");
            failover.unfence("dc1");
            assertThat(failover.fenced("dc1")).isFalse();
            DatabaseFailover.MemberStatus status = failover.status("dc1");
            assertThat(status.writablePrimary()).as(status.detail()).isTrue();
            write("dc1", "after-unfence");
            assertThat(has("dc1", "after-unfence")).isTrue();
            assertThat(has("dc1", "while-fenced")).isFalse();
        }
    }

    @Test
    void waitingForReplayEndsWhenTheStandbyHasWhatThePrimaryWroteAndOtherwiseSaysHowFarBehindItIs() throws Exception {
        try (ReplicatedDatabase database = database()) {
            DatabaseFailover failover = failover(database);
            write("dc1", "first");
            failover.waitForReplay("dr1", Duration.ofSeconds(20));
            assertThat(has("dr1", "first")).isTrue();

            pauseReplay();
            try {
                write("dc1", "second");
                long start = System.nanoTime();
                assertThatThrownBy(() -> failover.waitForReplay("dr1", Duration.ofMillis(500)))
                        .isInstanceOf(IOException.class).hasMessageContaining("bytes");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            } finally {
                resumeReplay();
            }
            failover.waitForReplay("dr1", Duration.ofSeconds(20));
            assertThat(has("dr1", "second")).isTrue();
        }
    }

    @Test
    void promotingMakesTheStandbyAWritablePrimaryOnceAndPromotingAPrimaryChangesNothing() throws Exception {
        try (ReplicatedDatabase database = database()) {
            DatabaseFailover failover = failover(database);
            write("dc1", "before-switch");
            failover.fence("dc1");
            failover.waitForReplay("dr1", Duration.ofSeconds(20));
            failover.promote("dr1");

            DatabaseFailover.MemberStatus promoted = failover.status("dr1");
            assertThat(promoted.role()).as(promoted.detail()).isEqualTo(DatabaseFailover.Role.PRIMARY);
            assertThat(promoted.writable()).isTrue();
            assertThat(promoted.writablePrimary()).isTrue();
            assertThat(has("dr1", "before-switch")).isTrue();
            write("dr1", "after-switch");
            assertThat(has("dr1", "after-switch")).isTrue();

            failover.promote("dr1");
            failover.promote("dc1");
            assertThat(failover.status("dr1").writablePrimary()).isTrue();
            assertThat(failover.status("dc1").writablePrimary()).as("the fenced old primary stays fenced").isFalse();
            assertThatThrownBy(() -> failover.waitForReplay("dr1", Duration.ofSeconds(1)))
                    .as("a primary does not replay").isInstanceOf(IOException.class);
        }
    }
}
