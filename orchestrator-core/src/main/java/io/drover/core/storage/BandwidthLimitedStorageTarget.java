package io.drover.core.storage;

import io.drover.core.spi.ObjectOutput;
import io.drover.core.spi.StorageTarget;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * Limits the bytes per second written to and read from a target; each direction has its own
 * {@link BandwidthLimiter}, shared by all streams of the target. Writes wait before they pass
 * bytes on; reads wait after, since a read's size is only known once it returns.
 */
public final class BandwidthLimitedStorageTarget extends ForwardingStorageTarget {
    private final Optional<BandwidthLimiter> upload;
    private final Optional<BandwidthLimiter> download;

    /** Each empty limiter leaves its direction unlimited. */
    public BandwidthLimitedStorageTarget(StorageTarget delegate, Optional<BandwidthLimiter> upload,
                                         Optional<BandwidthLimiter> download) {
        super(delegate);
        this.upload = Objects.requireNonNull(upload, "upload");
        this.download = Objects.requireNonNull(download, "download");
    }

    @Override
    public ObjectOutput create(String key) throws IOException {
        ObjectOutput out = delegate.create(key);
        return upload.<ObjectOutput>map(limiter -> new LimitedOutput(out, limiter)).orElse(out);
    }

    @Override
    public InputStream open(String key) throws IOException {
        InputStream in = delegate.open(key);
        return download.<InputStream>map(limiter -> new LimitedInput(in, limiter)).orElse(in);
    }

    private static final class LimitedOutput extends ForwardingObjectOutput {
        private final BandwidthLimiter limiter;

        LimitedOutput(ObjectOutput delegate, BandwidthLimiter limiter) {
            super(delegate);
            this.limiter = limiter;
        }

        @Override
        public void write(int b) throws IOException {
            limiter.acquire(1);
            delegate.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            limiter.acquire(len);
            delegate.write(b, off, len);
        }
    }

    private static final class LimitedInput extends FilterInputStream {
        private final BandwidthLimiter limiter;

        LimitedInput(InputStream in, BandwidthLimiter limiter) {
            super(in);
            this.limiter = limiter;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                limiter.acquire(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                limiter.acquire(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(n);
            limiter.acquire(skipped);
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
