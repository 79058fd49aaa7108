package io.drover.connector.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reads a remote file through a stream of JSch's {@code get}, and turns a broken connection into
 * a {@link ConnectionLost} that says how far the read got, never into a short or wrong read: JSch's
 * stream ends early, or even hands out bytes it never received, when the connection breaks in the
 * middle of a packet. Shared by the storage target's object reads and the files source's file reads.
 */
final class SftpReadStream extends InputStream {

    /** What the reader expects at the end of the stream. */
    interface End {
        /**
         * Whether an end of stream after {@code position} bytes is real (the file has no more),
         * asked only when the stream ends before the size the file had when it was opened.
         * Failing means the connection, not the file, ended the stream.
         */
        boolean isReal(long position) throws IOException;
    }

    /** The read failed because the connection broke; a caller may reconnect and resume at {@link #position()}. */
    static final class ConnectionLost extends IOException {
        private final long position;

        ConnectionLost(String message, long position, Throwable cause) {
            super(message, cause);
            this.position = position;
        }

        long position() {
            return position;
        }
    }

    /** JSch's stream; read only on the connection's I/O thread. */
    private final InputStream jsch;
    private final SftpConnection connection;
    private final String name;
    private final long size;
    private final End end;
    private long position;
    private boolean closed;

    /**
     * @param connection the connection {@code jschStream} came from
     * @param jschStream what {@code ChannelSftp.get} returned (read here on the connection's I/O thread)
     * @param name       how messages name what is read, e.g. {@code 'key' from sftp://...}
     * @param position   the offset the stream starts at
     * @param size       the file's size when it was opened
     * @param end        decides whether an early end is real
     */
    SftpReadStream(SftpConnection connection, InputStream jschStream, String name, long position, long size, End end) {
        this.connection = connection;
        this.jsch = jschStream;
        this.name = name;
        this.position = position;
        this.size = size;
        this.end = Objects.requireNonNull(end, "end");
    }

    /** An end for files that never change (objects): every early end is the connection's. */
    static End exactSize() {
        return position -> false;
    }

    long position() {
        return position;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("stream of " + name + " is closed");
        }
        if (len == 0) {
            return 0;
        }
        int n;
        do {
            try {
                n = connection.call(ignored -> fill(b, off, len));
            } catch (IOException e) {
                throw lost(e.getMessage(), e);
            }
            // Checked after every read: the bytes of a read that saw the channel close may be garbage.
            if (connection.isBroken()) {
                throw lost("the connection broke", null);
            }
        } while (n == 0); // JSch returns 0 when it drops a stale answer; a caller could take it for no progress
        if (n < 0) {
            if (position < size) {
                boolean real;
                try {
                    real = end.isReal(position);
                } catch (IOException e) {
                    throw lost("the stream ended early and the file could not be looked at again: " + e.getMessage(), e);
                }
                if (!real) {
                    throw lost("the stream ended early", null);
                }
            }
            return -1;
        }
        position += n;
        return n;
    }

    /**
     * On the I/O thread: reads until {@code len} bytes came, the stream ended or the connection
     * broke. JSch hands out at most one reply (32 KiB) per read, and each read handed to the I/O
     * thread costs two thread switches: a 1 MiB read-ahead buffer took 32 of them.
     */
    private int fill(byte[] b, int off, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int n = jsch.read(b, off + total, len - total);
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            total += n; // 0 when JSch dropped a stale answer: read on
            if (connection.isBroken()) {
                break; // the caller looks again and discards the read
            }
        }
        return total;
    }

    @Override
    public long skip(long n) throws IOException {
        // Through read(), so that skipped bytes are counted and checked like read ones.
        byte[] scratch = new byte[(int) Math.min(64 * 1024, Math.max(n, 1))];
        long skipped = 0;
        while (skipped < n) {
            int read = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    private ConnectionLost lost(String what, IOException cause) {
        return new ConnectionLost("cannot read " + name + " after " + position + " of " + size + " bytes: " + what,
                position, cause);
    }

    /**
     * Closes JSch's stream. A failure to close the handle is no read error (the data was read or
     * abandoned) but leaves the connection in doubt: it is closed then, and false is returned.
     */
    boolean closeQuietly() {
        if (closed) {
            return connection.isAlive();
        }
        closed = true;
        try {
            connection.call(ignored -> {
                jsch.close();
                return null;
            });
            return connection.isAlive();
        } catch (IOException | RuntimeException e) {
            connection.close();
            return false;
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
