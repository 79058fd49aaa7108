package io.drover.core.storage;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * A token bucket of bytes shared by every stream of one direction of one target. Tokens accrue at
 * {@code bytesPerSecond} up to {@code burst}; taking more than there are puts the bucket in debt,
 * and the taker sleeps until the debt would be paid. Later takers queue behind that debt, so
 * streams share the rate and a large write cannot push the average above it.
 */
public final class BandwidthLimiter {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long bytesPerSecond;
    private final double burst;
    private final InstantSource clock;
    private final Sleeper sleeper;
    private double tokens;
    private long lastNanos;

    /** A limiter allowing bursts of a tenth of a second's bytes. */
    public BandwidthLimiter(long bytesPerSecond, InstantSource clock, Sleeper sleeper) {
        this(bytesPerSecond, Math.max(1, bytesPerSecond / 10), clock, sleeper);
    }

    /** A limiter starting with a full bucket of {@code burst} bytes. */
    public BandwidthLimiter(long bytesPerSecond, long burst, InstantSource clock, Sleeper sleeper) {
        if (bytesPerSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rate and burst must be positive, got " + bytesPerSecond + " and " + burst);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.burst = burst;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.tokens = burst;
        this.lastNanos = nanos();
    }

    /** Takes {@code bytes} tokens, sleeping as long as the rate requires. */
    public void acquire(long bytes) throws InterruptedIOException {
        Duration wait = reserve(bytes);
        if (!wait.isZero()) {
            sleeper.sleep(wait);
        }
    }

    /** Takes {@code bytes} tokens and returns how long the caller must wait before using them. */
    synchronized Duration reserve(long bytes) {
        if (bytes <= 0) {
            return Duration.ZERO;
        }
        long now = nanos();
        // A clock that steps back must not mint or destroy tokens.
        long elapsed = Math.max(0, now - lastNanos);
        lastNanos = Math.max(lastNanos, now);
        tokens = Math.min(burst, tokens + (double) elapsed * bytesPerSecond / NANOS_PER_SECOND);
        tokens -= bytes;
        if (tokens >= 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) Math.ceil(-tokens * NANOS_PER_SECOND / bytesPerSecond));
    }

    private long nanos() {
        var instant = clock.instant();
        return instant.getEpochSecond() * NANOS_PER_SECOND + instant.getNano();
    }
}
