package io.drover.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link DatabaseRejoin} as tests, on top of {@link DatabaseFailoverContract}'s (a
 * database that rejoins can fail over). Same fixture: {@code dc1} a writable primary, {@code dr1}
 * its streaming standby, fresh for every test.
 */
public abstract class DatabaseRejoinContract extends DatabaseFailoverContract {
    private static final Duration WAIT = Duration.ofSeconds(60);

    /**
     * Whether {@link DatabaseRejoin#rejoin} discards a diverged member's own writes (true) or
     * refuses to rejoin it (false); the interface allows either.
     */
    protected abstract boolean discardsDivergedWrites();

    private static DatabaseRejoin rejoin(ReplicatedDatabase database) {
        assertThat(database).isInstanceOf(DatabaseRejoin.class);
        return (DatabaseRejoin) database;
    }

    private static void switchOver(DatabaseFailover failover, String from, String to) throws Exception {
        failover.fence(from);
        failover.waitForReplay(to, WAIT);
        failover.promote(to);
    }

    @Test
    void afterASwitchoverTheOldPrimaryRejoinsAndASwitchBackLosesNothing() throws Exception {
        try (ReplicatedDatabase database = database()) {
            DatabaseFailover failover = failover(database);
            DatabaseRejoin rejoin = rejoin(database);
            write("dc1", "before-switchover");
            switchOver(failover, "dc1", "dr1");
            write("dr1", "on-dr1");

            assertThat(rejoin.replicatesFrom("dc1", "dr1")).isFalse();
            String plan = rejoin.planRejoin("dc1", "dr1");
            assertThat(plan).isNotBlank().contains("dr1");
            assertThat(failover.status("dc1").role()).as("planning changes nothing").isEqualTo(DatabaseFailover.Role.PRIMARY);

            assertThat(rejoin.rejoin("dc1", "dr1", WAIT)).isNotBlank();
            assertThat(rejoin.replicatesFrom("dc1", "dr1")).isTrue();
            DatabaseFailover.MemberStatus rejoined = failover.status("dc1");
            assertThat(rejoined.role()).as(rejoined.detail()).isEqualTo(DatabaseFailover.Role.STANDBY);
            assertThat(rejoin.rejoin("dc1", "dr1", WAIT)).as("rejoining again").isNotBlank();
            assertThat(failover.status("dc1").role()).isEqualTo(DatabaseFailover.Role.STANDBY);

            write("dr1", "after-rejoin");
            failover.waitForReplay("dc1", WAIT);
            assertThat(has("dc1", "before-switchover")).isTrue();
            assertThat(has("dc1", "on-dr1")).isTrue();
            assertThat(has("dc1", "after-rejoin")).isTrue();

            switchOver(failover, "dr1", "dc1");
            assertThat(failover.status("dc1").writablePrimary()).as("the failed-back primary takes writes").isTrue();
            rejoin.rejoin("dr1", "dc1", WAIT);
            write("dc1", "after-failback");
            failover.waitForReplay("dr1", WAIT);
            for (String row : new String[] {"before-switchover", "on-dr1", "after-rejoin", "after-failback"}) {
                assertThat(has("dc1", row)).as("dc1 has %s", row).isTrue();
                assertThat(has("dr1", row)).as("dr1 has %s", row).isTrue();
            }
            assertThat(failover.status("dr1").role()).isEqualTo(DatabaseFailover.Role.STANDBY);
        }
    }

    @Test
    void heartbeatsAndSamplesFollowThePrimaryAfterASwitchover() throws Exception {
        try (ReplicatedDatabase database = database()) {
            DatabaseFailover failover = failover(database);
            switchOver(failover, "dc1", "dr1");
            rejoin(database).rejoin("dc1", "dr1", WAIT);
            database.writeHeartbeat();
            ReplicationSample sample = database.sample();
            assertThat(sample.primary()).isEqualTo("dr1");
            assertThat(sample.standbys()).singleElement().satisfies(standby -> {
                assertThat(standby.member()).isEqualTo("dc1");
                assertThat(standby.reachable()).as(standby.detail()).isTrue();
            });
        }
    }

    @Test
    void aDivergedOldPrimaryIsRewoundOrRefusedButNeverKeepsWritesTheNewPrimaryLacks() throws Exception {
        try (ReplicatedDatabase database = database()) {
            DatabaseFailover failover = failover(database);
            DatabaseRejoin rejoin = rejoin(database);
            write("dc1", "replicated");
            failover.waitForReplay("dr1", WAIT);
            failover.promote("dr1");            // an unplanned failover: dc1 was never fenced
            write("dc1", "only-on-dc1");
            write("dr1", "only-on-dr1");

            if (discardsDivergedWrites()) {
                rejoin.rejoin("dc1", "dr1", WAIT);
                failover.waitForReplay("dc1", WAIT);
                assertThat(has("dc1", "replicated")).isTrue();
                assertThat(has("dc1", "only-on-dr1")).isTrue();
                assertThat(has("dc1", "only-on-dc1")).as("the diverged write is gone").isFalse();
                assertThat(failover.status("dc1").role()).isEqualTo(DatabaseFailover.Role.STANDBY);
            } else {
                assertThatThrownBy(() -> rejoin.rejoin("dc1", "dr1", WAIT)).isInstanceOf(IOException.class)
                        .hasMessageContaining("dc1");
                assertThat(failover.status("dc1").role()).as("a refused rejoin leaves dc1 as it was")
                        .isEqualTo(DatabaseFailover.Role.PRIMARY);
                assertThat(has("dc1", "only-on-dc1")).isTrue();
            }
        }
    }

    @Test
    void rejoiningToAMemberThatIsNoPrimaryOrToItselfIsRefused() throws Exception {
        try (ReplicatedDatabase database = database()) {
            DatabaseRejoin rejoin = rejoin(database);
            assertThatThrownBy(() -> rejoin.rejoin("dc1", "dc1", WAIT)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> rejoin.rejoin("dc1", "nobody", WAIT)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("nobody");
            assertThatThrownBy(() -> rejoin.rejoin("dc1", "dr1", WAIT)).as("dr1 is a standby, not a primary")
                    .isInstanceOf(IOException.class).hasMessageContaining("dr1");
            assertThatThrownBy(() -> rejoin.planRejoin("dc1", "dr1")).isInstanceOf(IOException.class);
            assertThat(failover(database).status("dc1").writablePrimary()).as("dc1 untouched").isTrue();
            assertThat(rejoin.replicatesFrom("dr1", "dc1")).as("the standby already replicates from dc1").isTrue();
            assertThat(rejoin.rejoin("dr1", "dc1", WAIT)).as("nothing to do").isNotBlank();
        }
    }
}
