package io.drover.connector.filesystem;

import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.ObjectOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Streams one object into a hidden temporary file next to its final name, through a 1 MiB direct
 * buffer so that the disk sees few large writes; {@link #commit()} makes it durable and publishes it.
 */
final class LocalObjectOutput extends ObjectOutput {
    private static final FileAttribute<Set<PosixFilePermission>> FILE_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----"));
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Keeps temporary names within the usual 255-byte limit however long the key segment is. */
    private static final int MAX_NAME_IN_TEMP = 200;

    private enum State { OPEN, COMMITTED, ABORTED }

    private final String key;
    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final Durability durability;
    private final Publisher publisher;
    private final WriteBufferPool buffers;
    private ByteBuffer buffer;
    private State state = State.OPEN;

    private LocalObjectOutput(String key, Path target, Path temp, FileChannel channel, Durability durability,
                              Publisher publisher, WriteBufferPool buffers) {
        this.key = key;
        this.target = target;
        this.temp = temp;
        this.channel = channel;
        this.durability = durability;
        this.publisher = publisher;
        this.buffers = buffers;
        this.buffer = buffers.take();
    }

    static LocalObjectOutput start(String key, Path target, Durability durability, Publisher publisher,
                                   WriteBufferPool buffers) throws IOException {
        Path temp = target.resolveSibling(tempName(target.getFileName().toString()));
        FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), FILE_MODE);
        return new LocalObjectOutput(key, target, temp, channel, durability, publisher, buffers);
    }

    private static String tempName(String finalName) {
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        String shortName = finalName.length() > MAX_NAME_IN_TEMP ? finalName.substring(0, MAX_NAME_IN_TEMP) : finalName;
        return LocalStorageTarget.TEMP_PREFIX + HexFormat.of().formatHex(random) + "-" + shortName;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        requireOpen();
        if (!buffer.hasRemaining()) {
            drain();
        }
        buffer.put((byte) b);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        requireOpen();
        Objects.checkFromIndexSize(offset, length, bytes.length);
        while (length > 0) {
            if (!buffer.hasRemaining()) {
                drain();
            }
            int chunk = Math.min(length, buffer.remaining());
            buffer.put(bytes, offset, chunk);
            offset += chunk;
            length -= chunk;
        }
    }

    @Override
    public synchronized ObjectInfo commit() throws IOException {
        requireOpen();
        try {
            drain();
            if (durability.enabled()) {
                channel.force(true);
            }
            long size = channel.size();
            channel.close();
            publisher.publish(key, temp, target);
            state = State.COMMITTED;
            release();
            return new ObjectInfo(key, size);
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    @Override
    public synchronized void abort() {
        if (state != State.OPEN) {
            return;
        }
        state = State.ABORTED;
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing to save: the data is being discarded.
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // The sweeper removes leftover .tmp-* files; abort must not throw.
        }
        release();
    }

    private void drain() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    private void release() {
        if (buffer != null) {
            buffers.give(buffer);
            buffer = null;
        }
    }

    private void requireOpen() throws IOException {
        if (state != State.OPEN) {
            throw new IOException("output for '" + key + "' was already " + state.name().toLowerCase(Locale.ROOT));
        }
    }
}
