package io.drover.core.spi;

import java.util.Objects;

/** A committed object: its key and its size in bytes as the target reports it. */
public record ObjectInfo(String key, long size) {
    public ObjectInfo {
        Objects.requireNonNull(key, "key");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
    }
}
