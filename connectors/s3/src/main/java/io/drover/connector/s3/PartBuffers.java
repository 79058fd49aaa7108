package io.drover.connector.s3;

import java.util.ArrayDeque;

/**
 * The part buffers of one multipart upload, reused as their parts finish uploading, so that an
 * object costs {@code limit} arrays of a part each instead of a new one per part (at 16 MiB each a
 * humongous allocation for G1). Used by the writing thread only.
 */
final class PartBuffers {
    private final int partSize;
    private final int limit;
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();
    private int held;

    PartBuffers(int partSize, int limit) {
        this.partSize = partSize;
        this.limit = limit;
    }

    /** A free buffer, new only while fewer than the limit exist. */
    byte[] take() {
        if (!free.isEmpty()) {
            return free.pop();
        }
        count();
        return new byte[partSize];
    }

    /** Counts in a full part's buffer that was grown outside the pool (the first part of an object). */
    void adopt(byte[] buffer) {
        if (buffer.length != partSize) {
            throw new IllegalArgumentException("a part buffer holds " + partSize + " bytes, not " + buffer.length);
        }
        count();
    }

    /** Returns a buffer whose part has finished uploading. */
    void give(byte[] buffer) {
        free.push(buffer);
    }

    /** Lets go of the free buffers once the object is committed or aborted. */
    void clear() {
        free.clear();
    }

    /** Part buffers this upload has created or adopted so far. */
    int held() {
        return held;
    }

    private void count() {
        if (held == limit) {
            // The caller waits for a part to finish before it needs another buffer; this would be a bug.
            throw new IllegalStateException("all " + limit + " part buffers are in use");
        }
        held++;
    }
}
