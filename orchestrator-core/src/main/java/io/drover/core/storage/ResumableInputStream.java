package io.drover.core.storage;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A stream of one object that, when a read fails, reopens the object and skips the bytes already
 * delivered. Objects are immutable, so the reopened stream continues exactly where the old one
 * broke. Failures without progress in between count against the attempt limit; progress resets it.
 */
final class ResumableInputStream extends InputStream {
    private final RetryingStorageTarget retrying;
    private final String key;
    private InputStream current;
    private long position;
    private int failures;
    private boolean closed;

    ResumableInputStream(InputStream first, RetryingStorageTarget retrying, String key) {
        this.current = first;
        this.retrying = retrying;
        this.key = key;
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
            throw new IOException("stream of '" + key + "' is closed");
        }
        if (len == 0) {
            return 0;
        }
        while (true) {
            try {
                int n = current.read(b, off, len);
                if (n > 0) {
                    position += n;
                    failures = 0;
                }
                return n;
            } catch (IOException e) {
                resume(e);
            }
        }
    }

    @Override
    public int available() throws IOException {
        return closed ? 0 : current.available();
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            current.close();
        }
    }

    private void resume(IOException cause) throws IOException {
        IOException last = cause;
        while (true) {
            failures++;
            retrying.beforeRetry("read at byte " + position + " of", key, failures + 1, last);
            closeQuietly(current);
            try {
                current = retrying.reopen(key);
                current.skipNBytes(position);
                return;
            } catch (EOFException e) {
                throw new IOException("object '" + key + "' is shorter than the " + position
                        + " bytes read before the connection broke", e);
            } catch (IOException e) {
                last = e;
            }
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the broken stream is replaced; its close failing changes nothing
        }
    }
}
