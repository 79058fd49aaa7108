package io.drover.core.testing;

import io.drover.core.spi.NoSuchObjectException;
import io.drover.core.spi.ObjectAlreadyExistsException;
import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.ObjectKeys;
import io.drover.core.spi.ObjectOutput;
import io.drover.core.spi.StorageCapability;
import io.drover.core.spi.StorageTarget;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A storage target that keeps objects in memory, with faults that tests inject to see how drover
 * copes with failing writes and reads and with objects damaged or lost behind its back.
 */
public final class InMemoryStorageTarget implements StorageTarget {
    private final ConcurrentSkipListMap<String, byte[]> objects = new ConcurrentSkipListMap<>();
    private final Set<StorageCapability> capabilities;
    private final AtomicInteger writesToFail = new AtomicInteger();
    private final AtomicInteger readsToFail = new AtomicInteger();
    private final AtomicInteger pendingWrites = new AtomicInteger();
    /** Outputs neither committed nor aborted, with when they started: what a crash would leave behind. */
    private final Map<MemoryOutput, Instant> started = new ConcurrentHashMap<>();

    /** A target declaring {@link StorageCapability#ATOMIC_CREATE}, which it honours. */
    public InMemoryStorageTarget() {
        this(EnumSet.of(StorageCapability.ATOMIC_CREATE));
    }

    /** A target declaring the given capabilities, to test how core reacts to them. */
    public InMemoryStorageTarget(Set<StorageCapability> capabilities) {
        this.capabilities = Set.copyOf(capabilities);
    }

    @Override
    public Set<StorageCapability> capabilities() {
        return capabilities;
    }

    @Override
    public String describe() {
        return "in-memory target";
    }

    @Override
    public ObjectOutput create(String key) throws IOException {
        ObjectKeys.requireValid(key);
        if (objects.containsKey(key)) {
            throw new ObjectAlreadyExistsException(key);
        }
        pendingWrites.incrementAndGet();
        MemoryOutput output = new MemoryOutput(key);
        started.put(output, Instant.now());
        return output;
    }

    @Override
    public InputStream open(String key) throws IOException {
        byte[] content = objects.get(ObjectKeys.requireValid(key));
        if (content == null) {
            throw new NoSuchObjectException(key);
        }
        if (takeFault(readsToFail)) {
            return new FailingHalfwayInputStream(content);
        }
        return new ByteArrayInputStream(content);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        byte[] content = objects.get(ObjectKeys.requireValid(key));
        return Optional.ofNullable(content).map(c -> new ObjectInfo(key, c.length));
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        ObjectKeys.requireValidPrefix(prefix);
        List<ObjectInfo> result = new ArrayList<>();
        // The map is sorted, so the keys with the prefix form one contiguous run starting at it.
        for (Map.Entry<String, byte[]> entry : objects.tailMap(prefix).entrySet()) {
            if (!entry.getKey().startsWith(prefix)) {
                break;
            }
            result.add(new ObjectInfo(entry.getKey(), entry.getValue().length));
        }
        return result;
    }

    @Override
    public void delete(String key) {
        objects.remove(ObjectKeys.requireValid(key));
    }

    /**
     * Drops the data of outputs started before {@code startedBefore} that were neither committed
     * nor aborted, as a sweeper deletes a crashed run's temporary files; such an output fails if
     * it tries to commit later.
     */
    @Override
    public int removeAbandonedWrites(Instant startedBefore) {
        int removed = 0;
        for (Map.Entry<MemoryOutput, Instant> entry : started.entrySet()) {
            if (entry.getValue().isBefore(startedBefore) && started.remove(entry.getKey(), entry.getValue())) {
                entry.getKey().sweep();
                removed++;
            }
        }
        return removed;
    }

    // --- faults --------------------------------------------------------------------------------

    /**
     * The next {@code count} objects being written fail at {@code commit} with an
     * {@link IOException}, after their data was streamed, like a connection dropped at the end.
     * Nothing becomes visible.
     */
    public void failNextWrites(int count) {
        writesToFail.set(count);
    }

    /**
     * The next {@code count} opened objects deliver the first half of their bytes and then throw
     * an {@link IOException}, like a connection dropped mid-download.
     */
    public void failNextReads(int count) {
        readsToFail.set(count);
    }

    /** Flips every bit of the byte in the middle of a stored object, keeping its size. */
    public void corrupt(String key) throws NoSuchObjectException {
        objects.compute(key, (k, content) -> {
            if (content == null) {
                return null;
            }
            if (content.length == 0) {
                throw new IllegalStateException("object '" + key + "' is empty; there is no byte to corrupt");
            }
            byte[] damaged = content.clone();
            damaged[damaged.length / 2] ^= (byte) 0xFF;
            return damaged;
        });
        requireExists(key);
    }

    /** Cuts a stored object down to {@code length} bytes. */
    public void truncate(String key, int length) throws NoSuchObjectException {
        objects.computeIfPresent(key, (k, content) -> Arrays.copyOf(content, Math.min(length, content.length)));
        requireExists(key);
    }

    /** Removes an object without going through {@link #delete}, as an operator or a lifecycle rule would. */
    public void removeBehindDroversBack(String key) throws NoSuchObjectException {
        requireExists(key);
        objects.remove(key);
    }

    /** Stores an object directly, e.g. one written by an older drover or by hand. */
    public void plant(String key, byte[] content) {
        objects.put(ObjectKeys.requireValid(key), content.clone());
    }

    /** A copy of a stored object's bytes. */
    public byte[] bytes(String key) throws NoSuchObjectException {
        byte[] content = objects.get(key);
        if (content == null) {
            throw new NoSuchObjectException(key);
        }
        return content.clone();
    }

    /** Outputs created but neither committed nor aborted: a leak if a test expects none. */
    public int pendingWrites() {
        return pendingWrites.get();
    }

    private void requireExists(String key) throws NoSuchObjectException {
        if (!objects.containsKey(key)) {
            throw new NoSuchObjectException(key);
        }
    }

    private static boolean takeFault(AtomicInteger remaining) {
        return remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    /** Buffers the object and publishes it with one atomic put-if-absent. */
    private final class MemoryOutput extends ObjectOutput {
        private final String key;
        private ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private boolean ended;
        private boolean swept;

        MemoryOutput(String key) {
            this.key = key;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            requireOpen();
            buffer.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            requireOpen();
            buffer.write(b, off, len);
        }

        @Override
        public synchronized ObjectInfo commit() throws IOException {
            requireOpen();
            end();
            if (swept) {
                throw new IOException("the data written for '" + key + "' was removed as abandoned");
            }
            if (takeFault(writesToFail)) {
                throw new IOException("injected write failure for '" + key + "'");
            }
            byte[] content = buffer.toByteArray();
            if (objects.putIfAbsent(key, content) != null) {
                throw new ObjectAlreadyExistsException(key);
            }
            return new ObjectInfo(key, content.length);
        }

        @Override
        public synchronized void abort() {
            if (!ended) {
                end();
            }
        }

        private void end() {
            ended = true;
            started.remove(this);
            pendingWrites.decrementAndGet();
        }

        /** Like a deleted temporary file: later writes go nowhere and the commit fails. */
        private synchronized void sweep() {
            swept = true;
            buffer = new ByteArrayOutputStream();
        }

        private void requireOpen() throws IOException {
            if (ended) {
                throw new IOException("output for '" + key + "' was already committed or aborted");
            }
        }
    }

    /** Delivers the first half of an object, then fails. */
    private static final class FailingHalfwayInputStream extends InputStream {
        private final ByteArrayInputStream firstHalf;

        FailingHalfwayInputStream(byte[] content) {
            this.firstHalf = new ByteArrayInputStream(content, 0, content.length / 2);
        }

        @Override
        public int read() throws IOException {
            int b = firstHalf.read();
            if (b < 0) {
                throw injected();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n = firstHalf.read(b, off, len);
            if (n < 0) {
                throw injected();
            }
            return n;
        }

        private static IOException injected() {
            return new IOException("injected read failure");
        }
    }
}
