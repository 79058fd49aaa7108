package io.drover.core.repository;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads its source on a thread of its own, a few buffers ahead of the consumer, so that one stage
 * of a pipeline (reading, decrypting and decompressing a stored object) runs in parallel with the
 * next (unpacking it). Memory is bounded by {@code (buffers + 2) × bufferSize}: buffers the consumer
 * has finished go back to the reader, so a long object does not allocate a new buffer per read.
 */
final class ReadAheadInputStream extends InputStream {
    private record Chunk(byte[] data, int length) {
    }

    private static final Chunk END = new Chunk(new byte[0], 0);

    private final InputStream source;
    private final BlockingQueue<Chunk> filled;
    private final BlockingQueue<byte[]> recycled;
    private final int bufferSize;
    private final Thread thread;
    private volatile IOException failure;
    private volatile boolean stopped;
    private Chunk chunk;
    private byte[] current;
    private int currentLength;
    private int position;
    private boolean ended;

    ReadAheadInputStream(InputStream source, int bufferSize, int buffers, String name) {
        this.source = source;
        this.bufferSize = bufferSize;
        this.filled = new ArrayBlockingQueue<>(buffers);
        this.recycled = new ArrayBlockingQueue<>(buffers + 2);
        this.thread = Thread.ofPlatform().name(name).daemon().start(this::readLoop);
    }

    private void readLoop() {
        try {
            while (!stopped) {
                byte[] buffer = recycled.poll();
                if (buffer == null) {
                    buffer = new byte[bufferSize];
                }
                int n = source.readNBytes(buffer, 0, bufferSize);
                if (n <= 0) {
                    break;
                }
                filled.put(new Chunk(buffer, n));
            }
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            return;
        } catch (RuntimeException e) {
            failure = new IOException(e.getMessage(), e);
        }
        try {
            filled.put(END);
        } catch (InterruptedException ignored) {
            // stopped by the consumer
        }
    }

    private boolean nextBuffer() throws IOException {
        if (ended) {
            return false;
        }
        if (chunk != null) {
            recycled.offer(chunk.data());
        }
        try {
            chunk = filled.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading ahead");
        }
        if (chunk == END) {
            chunk = null;
            ended = true;
            if (failure != null) {
                throw failure;
            }
            return false;
        }
        current = chunk.data();
        currentLength = chunk.length();
        position = 0;
        return true;
    }

    @Override
    public int read() throws IOException {
        if ((current == null || position >= currentLength) && !nextBuffer()) {
            return -1;
        }
        return current[position++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if ((current == null || position >= currentLength) && !nextBuffer()) {
            return -1;
        }
        int n = Math.min(len, currentLength - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        return n;
    }

    /**
     * Stops reading ahead and waits for the reader thread, so that the caller may use the source
     * (or what is below it) directly afterwards.
     */
    void stop() {
        // No interrupt: it would close an interruptible channel under the reader. Emptying the
        // queue unblocks it; it sees the flag after at most one more buffer.
        stopped = true;
        try {
            while (thread.isAlive()) {
                filled.clear();
                thread.join(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        stop();
        source.close();
    }
}
