package io.drover.core.spi;

import java.io.IOException;

/** An object with that key exists already; objects are never overwritten. Not retryable. */
public class ObjectAlreadyExistsException extends IOException {
    private static final long serialVersionUID = 1L;

    public ObjectAlreadyExistsException(String key) {
        super("object '" + key + "' exists already and is never overwritten");
    }
}
