package io.drover.core.spi;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A place that stores immutable objects under string keys: a local directory, an S3 bucket, an
 * SFTP server. drover's repository format is built on these few operations; everything else
 * (retries, limits, hashing) is layered on top in core.
 *
 * <p>Keys are relative, {@code /}-separated, made of {@code [A-Za-z0-9._-]} segments, never
 * {@code .} or {@code ..}. Implementations must be safe for use from several threads.
 */
public interface StorageTarget extends AutoCloseable {

    /** What this target guarantees beyond the basic contract. */
    Set<StorageCapability> capabilities();

    /** Where the data goes, for messages and logs; must never contain credentials. */
    String describe();

    /**
     * Starts writing a new object. Nothing is visible under {@code key} until
     * {@link ObjectOutput#commit()} returns; {@link ObjectOutput#abort()} or a failure leaves
     * nothing visible (a hidden temporary may remain for the sweeper).
     *
     * <p>Objects are written once: if {@code key} already exists, {@code create} or {@code commit}
     * fails with {@link ObjectAlreadyExistsException} and the existing object is unchanged.
     * Retryable on {@link IOException} as a whole (a new {@code create}).
     */
    ObjectOutput create(String key) throws IOException;

    /**
     * Opens a committed object for reading from its start.
     *
     * @throws NoSuchObjectException if no committed object has that key
     */
    InputStream open(String key) throws IOException;

    /** Size of a committed object, or empty if there is none. Idempotent and retryable. */
    Optional<ObjectInfo> stat(String key) throws IOException;

    /**
     * All committed objects whose key starts with {@code prefix} (may be empty for everything),
     * sorted by key. Objects being written are not listed. Idempotent and retryable.
     */
    List<ObjectInfo> list(String prefix) throws IOException;

    /** Removes an object. Deleting a missing key succeeds (idempotent). */
    void delete(String key) throws IOException;

    /**
     * Removes what writes that never finished left behind (hidden temporary files, incomplete
     * multipart uploads) when they were started before {@code startedBefore}, so a crashed backup
     * leaves no garbage forever. Never touches committed objects or writes still in progress
     * (callers pass a cutoff well in the past). Returns how many leftovers were removed. The
     * default does nothing, for targets that leave nothing behind.
     */
    default int removeAbandonedWrites(java.time.Instant startedBefore) throws IOException {
        return 0;
    }

    /**
     * A hint that objects are about to be used, up to {@code streams} of them at once (a backup
     * writes a part and the index together). A target whose connections take long to open (an SSH
     * login) may start opening them now, in the background, so that the first uses find them
     * ready. Returns at once and never fails: a connection that cannot be opened shows its
     * problem when an object is used, exactly as without the hint. The default does nothing.
     */
    default void prepareConcurrentUse(int streams) {
    }

    /** Releases connections; the default does nothing. */
    @Override
    default void close() throws IOException {
    }
}
