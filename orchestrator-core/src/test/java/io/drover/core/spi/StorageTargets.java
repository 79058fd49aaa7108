package io.drover.core.spi;

import java.io.IOException;
import java.io.InputStream;

/** Small helpers for tests that write and read whole objects. */
public final class StorageTargets {
    private StorageTargets() {
    }

    /** Writes {@code content} under {@code key} in one call and commits it. */
    public static ObjectInfo put(StorageTarget target, String key, byte[] content) throws IOException {
        try (ObjectOutput out = target.create(key)) {
            out.write(content);
            return out.commit();
        }
    }

    /** Reads a whole committed object. */
    public static byte[] read(StorageTarget target, String key) throws IOException {
        try (InputStream in = target.open(key)) {
            return in.readAllBytes();
        }
    }
}
