package io.drover.core.storage;

import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.ObjectOutput;
import io.drover.core.spi.StorageTarget;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Allows at most N operations and open streams on a target at once, first come first served.
 * An {@link ObjectOutput} holds its permit until committed, aborted or closed, a stream from
 * {@code open} until closed. A caller that keeps N streams open and starts another waits forever,
 * so N must exceed the streams one caller holds at once (e.g. parts written behind plus one).
 */
public final class ConcurrencyLimitedStorageTarget extends ForwardingStorageTarget {
    private final Semaphore permits;

    public ConcurrencyLimitedStorageTarget(StorageTarget delegate, int maxConcurrent) {
        super(delegate);
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1, got " + maxConcurrent);
        }
        this.permits = new Semaphore(maxConcurrent, true);
    }

    @Override
    public ObjectOutput create(String key) throws IOException {
        Permit permit = acquire();
        try {
            return new HeldOutput(delegate.create(key), permit);
        } catch (IOException | RuntimeException | Error e) {
            permit.release();
            throw e;
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        Permit permit = acquire();
        try {
            return new HeldInput(delegate.open(key), permit);
        } catch (IOException | RuntimeException | Error e) {
            permit.release();
            throw e;
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        Permit permit = acquire();
        try {
            return delegate.stat(key);
        } finally {
            permit.release();
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        Permit permit = acquire();
        try {
            return delegate.list(prefix);
        } finally {
            permit.release();
        }
    }

    @Override
    public void delete(String key) throws IOException {
        Permit permit = acquire();
        try {
            delegate.delete(key);
        } finally {
            permit.release();
        }
    }

    private Permit acquire() throws InterruptedIOException {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException io = new InterruptedIOException("interrupted while waiting for a free connection to "
                    + delegate.describe());
            io.initCause(e);
            throw io;
        }
        return new Permit();
    }

    /** One acquired permit, released at most once however many ways a stream ends. */
    private final class Permit {
        private final AtomicBoolean held = new AtomicBoolean(true);

        void release() {
            if (held.compareAndSet(true, false)) {
                permits.release();
            }
        }
    }

    private static final class HeldOutput extends ForwardingObjectOutput {
        private final Permit permit;

        HeldOutput(ObjectOutput delegate, Permit permit) {
            super(delegate);
            this.permit = permit;
        }

        @Override
        public ObjectInfo commit() throws IOException {
            try {
                return delegate.commit();
            } finally {
                permit.release();
            }
        }

        @Override
        public void abort() {
            try {
                delegate.abort();
            } finally {
                permit.release();
            }
        }

        @Override
        public void close() {
            try {
                delegate.close();
            } finally {
                permit.release();
            }
        }
    }

    private static final class HeldInput extends FilterInputStream {
        private final Permit permit;

        HeldInput(InputStream in, Permit permit) {
            super(in);
            this.permit = permit;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            try {
                in.close();
            } finally {
                permit.release();
            }
        }
    }
}
