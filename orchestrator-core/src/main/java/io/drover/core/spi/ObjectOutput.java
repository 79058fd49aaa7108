package io.drover.core.spi;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The stream of one object being written to a {@link StorageTarget}. Exactly one of
 * {@link #commit()} or {@link #abort()} ends it; {@link #close()} without commit aborts.
 */
public abstract class ObjectOutput extends OutputStream {

    /**
     * Makes the object durable and visible under its key, atomically, then returns what the target
     * stored (its size as the target reports it, so the caller can confirm it).
     *
     * @throws ObjectAlreadyExistsException if another object took the key meanwhile
     */
    public abstract ObjectInfo commit() throws IOException;

    /** Discards what was written; never throws; idempotent. */
    public abstract void abort();

    /** Aborts unless {@link #commit()} has succeeded. */
    @Override
    public void close() {
        abort();
    }
}
