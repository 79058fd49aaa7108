package io.drover.core.storage;

import io.drover.core.config.TargetLimits;
import io.drover.core.spi.StorageTarget;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** Stacks the decorators a target's {@code limits:} block asks for around the connector's target. */
public final class StorageDecorators {
    private StorageDecorators() {
    }

    /** {@link #wrap(StorageTarget, String, TargetLimits, InstantSource, Sleeper)} with the system clock and real sleeps. */
    public static StorageTarget wrap(StorageTarget connector, String name, TargetLimits limits) {
        return wrap(connector, name, limits, InstantSource.system(), Sleeper.SYSTEM);
    }

    /**
     * Returns concurrency → bandwidth → retry → connector, leaving out what the limits do not ask for.
     *
     * <p>Why this order: retry sits next to the connector so that a retried operation or resumed
     * read is invisible to the layers above; bytes are counted once, as the caller sees them, and
     * a read resumed after a dropped connection does not take a second share of the bandwidth for
     * the bytes it skips. The concurrency permit is outermost, so it is held across backoff sleeps
     * and bandwidth waits: a struggling or throttled target gets no more than N operations, and
     * retries do not let more operations in.
     */
    public static StorageTarget wrap(StorageTarget connector, String name, TargetLimits limits, InstantSource clock,
                                     Sleeper sleeper) {
        StorageTarget target = connector;
        if (limits.retries() > 1) {
            target = new RetryingStorageTarget(target, name,
                    new RetryPolicy(limits.retries(), limits.retryDelay(), limits.maxRetryDelay()), sleeper,
                    () -> ThreadLocalRandom.current().nextDouble());
        }
        Optional<BandwidthLimiter> upload = limits.upload().map(size -> new BandwidthLimiter(size.bytes(), clock, sleeper));
        Optional<BandwidthLimiter> download = limits.download().map(size -> new BandwidthLimiter(size.bytes(), clock, sleeper));
        if (upload.isPresent() || download.isPresent()) {
            target = new BandwidthLimitedStorageTarget(target, upload, download);
        }
        if (limits.concurrency() > 0) {
            target = new ConcurrencyLimitedStorageTarget(target, limits.concurrency());
        }
        return target;
    }
}
