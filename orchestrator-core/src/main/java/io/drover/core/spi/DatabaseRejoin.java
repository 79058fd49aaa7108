package io.drover.core.spi;

import java.io.IOException;
import java.time.Duration;

/**
 * What a {@link DatabaseFailover} may also do after a switchover or a failover: make a former
 * primary a standby of the new primary again, so that the database is protected once more and a
 * later failback loses nothing. Runbook actions find it with {@code database instanceof DatabaseRejoin}.
 *
 * <p>A member that wrote transactions the new primary never received (an unplanned failover) has
 * diverged: an implementation either discards them while rejoining (PostgreSQL: {@code pg_rewind}
 * or a new base backup) or refuses with an {@link IOException} that says so and leaves the member
 * as it was. It never leaves a standby that holds writes its primary does not have.
 */
public interface DatabaseRejoin {

    /**
     * What {@link #rejoin} would do now, in words, without doing anything (e.g. "pg_rewind from
     * dr1, then start as its standby").
     *
     * @throws IOException when it could not be done now; the message says why and what to fix
     */
    String planRejoin(String member, String primary) throws IOException;

    /**
     * Whether {@code member} is a standby replicating from {@code primary} now.
     *
     * @throws IOException when {@code member} cannot be reached
     */
    boolean replicatesFrom(String member, String primary) throws IOException;

    /**
     * Makes {@code member} a standby of {@code primary}, and returns when it replicates from it;
     * nothing when {@link #replicatesFrom} already. Returns what was done, for the journal.
     *
     * @throws IllegalArgumentException when either is no member, or both are the same
     * @throws IOException              when {@code primary} is not a reachable primary, the member
     *                                  diverged and this implementation does not discard writes, or
     *                                  a step failed (the message names it)
     */
    String rejoin(String member, String primary, Duration timeout) throws IOException, InterruptedException;
}
