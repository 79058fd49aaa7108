package io.drover.core.storage;

import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.ObjectOutput;
import io.drover.core.spi.StorageCapability;
import io.drover.core.spi.StorageTarget;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** Passes calls to another target, failing the next calls of chosen operations and counting all calls. */
final class FlakyStorageTarget implements StorageTarget {
    private final StorageTarget delegate;
    private final Map<String, AtomicInteger> toFail = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private volatile IntFunction<IOException> failure = n -> new IOException("injected failure " + n);

    FlakyStorageTarget(StorageTarget delegate) {
        this.delegate = delegate;
    }

    /** The next {@code count} calls of {@code operation} throw what {@code failure} makes of the call number. */
    FlakyStorageTarget failNext(String operation, int count, IntFunction<IOException> failure) {
        this.failure = failure;
        toFail.computeIfAbsent(operation, k -> new AtomicInteger()).set(count);
        return this;
    }

    FlakyStorageTarget failNext(String operation, int count) {
        return failNext(operation, count, n -> new IOException("injected " + operation + " failure " + n));
    }

    int calls(String operation) {
        return calls.getOrDefault(operation, new AtomicInteger()).get();
    }

    private void enter(String operation) throws IOException {
        int n = calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
        AtomicInteger remaining = toFail.get(operation);
        if (remaining != null && remaining.getAndUpdate(r -> r > 0 ? r - 1 : 0) > 0) {
            throw failure.apply(n);
        }
    }

    @Override
    public Set<StorageCapability> capabilities() {
        return delegate.capabilities();
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public ObjectOutput create(String key) throws IOException {
        enter("create");
        return delegate.create(key);
    }

    @Override
    public InputStream open(String key) throws IOException {
        enter("open");
        return delegate.open(key);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        enter("stat");
        return delegate.stat(key);
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        enter("list");
        return delegate.list(prefix);
    }

    @Override
    public void delete(String key) throws IOException {
        enter("delete");
        delegate.delete(key);
    }

    @Override
    public int removeAbandonedWrites(Instant startedBefore) throws IOException {
        enter("removeAbandonedWrites");
        return delegate.removeAbandonedWrites(startedBefore);
    }
}
