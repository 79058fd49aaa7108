package io.drover.connector.support;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the last bytes written to it: the end of a command's stderr is where the reason for a
 * failure usually is, and the whole of it could be unbounded.
 */
public final class StderrTail extends OutputStream {
    public static final int CAPACITY = 8 * 1024;

    private final byte[] ring = new byte[CAPACITY];
    private long written;

    @Override
    public synchronized void write(int b) {
        ring[(int) (written++ % CAPACITY)] = (byte) b;
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        // Only the last CAPACITY bytes of a long write can survive.
        int skip = Math.max(0, length - CAPACITY);
        written += skip;
        for (int i = offset + skip; i < offset + length; i++) {
            ring[(int) (written++ % CAPACITY)] = bytes[i];
        }
    }

    /** The kept text, trimmed, marked with "..." when earlier output was dropped. */
    @Override
    public synchronized String toString() {
        int kept = (int) Math.min(written, CAPACITY);
        byte[] ordered = new byte[kept];
        int start = (int) ((written - kept) % CAPACITY);
        for (int i = 0; i < kept; i++) {
            ordered[i] = ring[(start + i) % CAPACITY];
        }
        String text = new String(ordered, StandardCharsets.UTF_8).strip();
        return written > CAPACITY ? "..." + text : text;
    }
}
