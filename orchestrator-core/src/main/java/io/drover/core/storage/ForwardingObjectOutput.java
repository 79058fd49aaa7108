package io.drover.core.storage;

import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.ObjectOutput;
import java.io.IOException;
import java.util.Objects;

/** An {@link ObjectOutput} that passes everything to another; decorators override what they add to. */
abstract class ForwardingObjectOutput extends ObjectOutput {
    protected final ObjectOutput delegate;

    ForwardingObjectOutput(ObjectOutput delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public void write(int b) throws IOException {
        delegate.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        delegate.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        delegate.flush();
    }

    @Override
    public ObjectInfo commit() throws IOException {
        return delegate.commit();
    }

    @Override
    public void abort() {
        delegate.abort();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
