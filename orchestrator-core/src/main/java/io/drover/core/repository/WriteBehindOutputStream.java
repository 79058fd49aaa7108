package io.drover.core.repository;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Writes to its sink on a thread of its own, so that one stage of a pipeline (encrypting, hashing
 * and storing compressed output) runs in parallel with the one before it (packing and compressing).
 * Memory is bounded by {@code buffers × bufferSize}; the first failure of the sink is rethrown to
 * the writer. {@link #close()} drains everything, then closes the sink.
 */
final class WriteBehindOutputStream extends OutputStream {
    private static final byte[] END = new byte[0];

    private final OutputStream sink;
    private final BlockingQueue<byte[]> queue;
    private final Thread thread;
    private final int bufferSize;
    private volatile IOException failure;
    private byte[] buffer;
    private int count;
    private boolean closed;

    WriteBehindOutputStream(OutputStream sink, int bufferSize, int buffers, String name) {
        this.sink = sink;
        this.bufferSize = bufferSize;
        this.queue = new ArrayBlockingQueue<>(buffers);
        this.buffer = new byte[bufferSize];
        this.thread = Thread.ofPlatform().name(name).daemon().start(this::writeLoop);
    }

    private void writeLoop() {
        try {
            while (true) {
                byte[] next = queue.take();
                if (next == END) {
                    return;
                }
                if (failure == null) {
                    try {
                        sink.write(next);
                    } catch (IOException e) {
                        failure = e;
                    } catch (RuntimeException e) {
                        failure = new IOException(e.getMessage(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            // abandoned
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        checkFailure();
        while (len > 0) {
            int n = Math.min(len, bufferSize - count);
            System.arraycopy(b, off, buffer, count, n);
            count += n;
            off += n;
            len -= n;
            if (count == bufferSize) {
                hand(buffer);
                buffer = new byte[bufferSize];
                count = 0;
            }
        }
    }

    private void hand(byte[] full) throws IOException {
        try {
            queue.put(full);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing");
        }
        checkFailure();
    }

    private void checkFailure() throws IOException {
        if (failure != null) {
            throw failure;
        }
    }

    /** Hands over what is buffered; the sink sees it soon, not necessarily before this returns. */
    @Override
    public void flush() throws IOException {
        if (count > 0) {
            hand(java.util.Arrays.copyOf(buffer, count));
            count = 0;
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        flush();
        try {
            queue.put(END);
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while finishing writes");
        }
        checkFailure();
        sink.close();
    }

    /**
     * Stops the writer thread without finishing: for aborts. Waits a few seconds for it to end, so
     * that the caller may release the sink (a native compressor must not be freed under a write).
     */
    void abandon() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the writer thread has ended (after {@link #close()}, or {@link #abandon()} once it returned). */
    boolean writerEnded() {
        return !thread.isAlive();
    }
}
