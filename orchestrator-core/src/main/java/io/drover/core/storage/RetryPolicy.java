package io.drover.core.storage;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * How often and how patiently {@link RetryingStorageTarget} retries: {@code attempts} in all
 * (the first included), exponential backoff from {@code initialDelay} capped at {@code maxDelay},
 * with jitter so that many clients failing together do not retry together.
 */
public record RetryPolicy(int attempts, Duration initialDelay, Duration maxDelay) {
    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
        }
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay, got " + initialDelay + " and " + maxDelay);
        }
    }

    /**
     * The wait before attempt {@code attempt} (2 for the first retry): the exponential delay
     * {@code min(maxDelay, initialDelay * 2^(attempt-2))}, of which the upper half is scaled by
     * {@code random} in [0, 1) ("equal jitter": never less than half the delay).
     */
    public Duration delayBefore(int attempt, DoubleSupplier random) {
        if (attempt < 2) {
            throw new IllegalArgumentException("attempt " + attempt + " is no retry");
        }
        long initial = initialDelay.toNanos();
        long max = maxDelay.toNanos();
        int doublings = Math.min(attempt - 2, 62);
        long exponential = initial > (max >> doublings) ? max : Math.min(max, initial << doublings);
        long half = exponential / 2;
        return Duration.ofNanos(exponential - half + (long) (half * random.getAsDouble()));
    }
}
