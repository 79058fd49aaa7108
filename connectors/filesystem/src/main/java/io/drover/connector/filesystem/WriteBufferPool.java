package io.drover.connector.filesystem;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Reuses the direct buffers that object writes go through. Direct buffers let {@code FileChannel}
 * write without the JDK's extra copy into a temporary native buffer, but they are costly to
 * allocate and are freed only by GC, so a target keeps a few instead of allocating one per object.
 */
final class WriteBufferPool {
    static final int BUFFER_SIZE = 1024 * 1024;
    private static final int MAX_IDLE = 4;

    private final ArrayBlockingQueue<ByteBuffer> idle = new ArrayBlockingQueue<>(MAX_IDLE);

    ByteBuffer take() {
        ByteBuffer buffer = idle.poll();
        return buffer != null ? buffer.clear() : ByteBuffer.allocateDirect(BUFFER_SIZE);
    }

    void give(ByteBuffer buffer) {
        idle.offer(buffer.clear());
    }
}
