package io.drover.core.spi;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ReplicatedDatabase} may also do for failover runbooks: read one member's role,
 * fence a primary, wait for a standby to catch up, promote. Members are the names of
 * {@link ReplicatedDatabase#sites()}. Every operation is idempotent, so a resumed runbook may repeat it.
 * Runbook actions find it with {@code database instanceof DatabaseFailover}.
 */
public interface DatabaseFailover {

    /** What a member is now. */
    enum Role {
        /** Accepts writes unless fenced (PostgreSQL: not in recovery). */
        PRIMARY,
        /** Replays from a primary (PostgreSQL: in recovery). */
        STANDBY,
        /** It could not be reached. */
        UNKNOWN
    }

    /**
     * One member's state.
     *
     * @param reachable  whether it answered
     * @param role       primary or standby; {@link Role#UNKNOWN} when unreachable
     * @param writable   whether a new session could write now (a primary, not read-only)
     * @param fenced     whether it was fenced ({@link #fence})
     * @param currentLsn a primary's current write position, as the database writes it (e.g. {@code 0/3000148})
     * @param replayLsn  a standby's last replayed position (a promoted standby keeps its last one)
     * @param detail     the state in the connector's words, or why it could not be read
     */
    record MemberStatus(String member, boolean reachable, Role role, boolean writable, boolean fenced,
                        Optional<String> currentLsn, Optional<String> replayLsn, String detail) {
        public MemberStatus {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(currentLsn, "currentLsn");
            Objects.requireNonNull(replayLsn, "replayLsn");
            Objects.requireNonNull(detail, "detail");
        }

        public static MemberStatus unreachable(String member, String why) {
            return new MemberStatus(member, false, Role.UNKNOWN, false, false, Optional.empty(), Optional.empty(),
                    why == null || why.isBlank() ? "unreachable" : why);
        }

        /** Reachable, a primary and writable: taking writes now. */
        public boolean writablePrimary() {
            return reachable && role == Role.PRIMARY && writable && !fenced;
        }
    }

    /**
     * The state of {@code member}; one that cannot be reached is reported so, not thrown.
     *
     * @throws IllegalArgumentException when there is no such member
     */
    MemberStatus status(String member);

    /**
     * Stops {@code member} taking writes (PostgreSQL: {@code default_transaction_read_only} on for
     * the server, configuration reloaded, other client sessions ended). Doing it again changes nothing.
     *
     * @throws IOException when it cannot be reached or refuses
     */
    void fence(String member) throws IOException;

    /**
     * Lifts {@link #fence}: {@code member} takes writes again (PostgreSQL: the server's
     * {@code default_transaction_read_only} reset, configuration reloaded). For a switchover
     * rolled back before the standby was promoted. Doing it again changes nothing.
     *
     * @throws IOException when it cannot be reached or refuses
     */
    void unfence(String member) throws IOException;

    /** Whether {@code member} is fenced. @throws IOException when it cannot be reached */
    boolean fenced(String member) throws IOException;

    /**
     * Waits until {@code standby} has replayed the primary's current position as read once when the
     * call starts; the primary is the other member that is not a standby. The position covers every
     * commit the primary acknowledged, also asynchronous ones not yet written (PostgreSQL: the WAL
     * insert position, not {@code pg_current_wal_lsn()}).
     *
     * @throws IOException when a member cannot be read, there is no primary, or the timeout passes
     *                     (the message then says how many bytes were left)
     */
    void waitForReplay(String standby, Duration timeout) throws IOException, InterruptedException;

    /**
     * Promotes {@code member} to primary and waits until it is one; nothing when it is a primary already.
     *
     * @throws IOException when it cannot be reached or the promotion failed
     */
    void promote(String member) throws IOException, InterruptedException;
}
