package io.drover.core.storage;

import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.ObjectOutput;
import io.drover.core.spi.StorageCapability;
import io.drover.core.spi.StorageTarget;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Base of the decorators: forwards every operation; a decorator overrides only what it changes. */
abstract class ForwardingStorageTarget implements StorageTarget {
    protected final StorageTarget delegate;

    ForwardingStorageTarget(StorageTarget delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
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
        return delegate.create(key);
    }

    @Override
    public InputStream open(String key) throws IOException {
        return delegate.open(key);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        return delegate.stat(key);
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        return delegate.list(prefix);
    }

    @Override
    public void delete(String key) throws IOException {
        delegate.delete(key);
    }

    @Override
    public int removeAbandonedWrites(java.time.Instant startedBefore) throws IOException {
        return delegate.removeAbandonedWrites(startedBefore);
    }

    @Override
    public void prepareConcurrentUse(int streams) {
        delegate.prepareConcurrentUse(streams);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
