package io.drover.core.spi;

import java.util.SplittableRandom;

/** Deterministic pseudo-random test content, so a failing comparison is reproducible. */
public final class TestBytes {
    private TestBytes() {
    }

    /** {@code length} bytes derived from {@code seed}; different seeds give different content. */
    public static byte[] of(int length, long seed) {
        byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
