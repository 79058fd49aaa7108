package io.drover.core.storage;

import java.io.InterruptedIOException;
import java.time.Duration;

/** Waits for a while; injected so that tests of backoff and rate limits never really sleep. */
@FunctionalInterface
public interface Sleeper {

    /** Sleeps with {@link Thread#sleep}; an interrupt becomes {@link InterruptedIOException} and stays set. */
    Sleeper SYSTEM = duration -> {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException io = new InterruptedIOException("interrupted while waiting " + duration);
            io.initCause(e);
            throw io;
        }
    };

    /** Returns after {@code duration} (at once if it is zero or negative). */
    void sleep(Duration duration) throws InterruptedIOException;
}
