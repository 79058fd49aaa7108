package io.drover.core.spi;

import java.io.IOException;

/** The requested object does not exist (or is not committed). Not retryable. */
public class NoSuchObjectException extends IOException {
    private static final long serialVersionUID = 1L;

    public NoSuchObjectException(String key) {
        super("no object '" + key + "'");
    }
}
