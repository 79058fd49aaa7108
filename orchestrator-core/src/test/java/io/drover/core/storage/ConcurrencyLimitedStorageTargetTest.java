package io.drover.core.storage;

import static io.drover.core.spi.StorageTargets.put;
import static io.drover.core.spi.StorageTargets.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.spi.ObjectAlreadyExistsException;
import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.ObjectOutput;
import io.drover.core.spi.StorageTarget;
import io.drover.core.spi.StorageTargetContract;
import io.drover.core.testing.InMemoryStorageTarget;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ConcurrencyLimitedStorageTargetTest extends StorageTargetContract {

    @Override
    protected StorageTarget newTarget() {
        // The contract holds eight outputs open at once.
        return new ConcurrencyLimitedStorageTarget(new InMemoryStorageTarget(), 8);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void neverMoreOperationsAndStreamsAtOnceThanTheLimit() throws Exception {
        CountingTarget counting = new CountingTarget(new InMemoryStorageTarget());
        StorageTarget limited = new ConcurrencyLimitedStorageTarget(counting, 3);
        put(limited, "shared", new byte[100]);
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 12; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        switch (i % 3) {
                            case 0 -> limited.stat("shared");
                            case 1 -> read(limited, "shared");
                            default -> put(limited, "k" + thread + "-" + i, new byte[10]);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(counting.maxSeen.get()).isBetween(1, 3);
        assertThat(counting.inFlight.get()).isZero();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void everyWayAStreamEndsGivesItsPermitBack() throws IOException {
        StorageTarget limited = new ConcurrencyLimitedStorageTarget(new InMemoryStorageTarget(), 1);
        put(limited, "a", new byte[] {1});
        limited.create("b").abort();
        limited.create("b").close();
        ObjectOutput committed = limited.create("b");
        committed.commit();
        committed.close();
        assertThatThrownBy(() -> limited.create("a")).isInstanceOf(ObjectAlreadyExistsException.class);
        assertThatThrownBy(() -> limited.stat("../x")).isInstanceOf(IllegalArgumentException.class);
        limited.open("a").close();
        limited.delete("b");
        // With a leaked permit, this would wait forever.
        assertThat(limited.list("")).containsExactly(new ObjectInfo("a", 1));
    }

    /** Counts operations and open streams in flight, and the most seen at once. */
    private static final class CountingTarget implements StorageTarget {
        private final StorageTarget delegate;
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxSeen = new AtomicInteger();

        CountingTarget(StorageTarget delegate) {
            this.delegate = delegate;
        }

        private void enter() {
            maxSeen.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            Thread.yield();
        }

        private void leave() {
            inFlight.decrementAndGet();
        }

        @Override
        public java.util.Set<io.drover.core.spi.StorageCapability> capabilities() {
            return delegate.capabilities();
        }

        @Override
        public String describe() {
            return delegate.describe();
        }

        @Override
        public ObjectOutput create(String key) throws IOException {
            enter();
            ObjectOutput out = delegate.create(key);
            return new ForwardingObjectOutput(out) {
                private boolean ended;

                @Override
                public ObjectInfo commit() throws IOException {
                    try {
                        return delegate.commit();
                    } finally {
                        end();
                    }
                }

                @Override
                public void abort() {
                    delegate.abort();
                    end();
                }

                @Override
                public void close() {
                    delegate.close();
                    end();
                }

                private synchronized void end() {
                    if (!ended) {
                        ended = true;
                        leave();
                    }
                }
            };
        }

        @Override
        public InputStream open(String key) throws IOException {
            enter();
            return new FilterInputStream(delegate.open(key)) {
                @Override
                public void close() throws IOException {
                    super.close();
                    leave();
                }
            };
        }

        @Override
        public Optional<ObjectInfo> stat(String key) throws IOException {
            enter();
            try {
                return delegate.stat(key);
            } finally {
                leave();
            }
        }

        @Override
        public List<ObjectInfo> list(String prefix) throws IOException {
            enter();
            try {
                return delegate.list(prefix);
            } finally {
                leave();
            }
        }

        @Override
        public void delete(String key) throws IOException {
            enter();
            try {
                delegate.delete(key);
            } finally {
                leave();
            }
        }
    }
}
