package io.drover.core.config;

import io.drover.core.model.DataSize;
import io.drover.core.spi.Default;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The optional {@code limits:} block of every target section: retries, bandwidth and concurrency,
 * applied by core around whatever connector the target uses.
 *
 * @param retries       attempts per operation, including the first; 1 means no retry
 * @param retryDelay    delay before the first retry; it doubles on each further retry
 * @param maxRetryDelay upper bound of one delay
 * @param upload        bytes per second written to the target, shared by all its uploads
 * @param download      bytes per second read from the target, shared by all its downloads
 * @param concurrency   operations and open streams at once; 0 means unlimited
 * @param jobs          scheduled jobs writing to or reading from this target at once on one
 *                      {@code drover serve} node; 0 means unlimited
 */
public record TargetLimits(@Default("5") int retries, @Default("1s") Duration retryDelay,
                           @Default("30s") Duration maxRetryDelay, Optional<DataSize> upload,
                           Optional<DataSize> download, @Default("0") int concurrency, @Default("0") int jobs) {

    /** What a target without a {@code limits:} block gets: retries on, no bandwidth or concurrency limit. */
    public static final TargetLimits DEFAULT = new TargetLimits(5, Duration.ofSeconds(1), Duration.ofSeconds(30),
            Optional.empty(), Optional.empty(), 0, 0);

    /** Limits without a job limit. */
    public TargetLimits(int retries, Duration retryDelay, Duration maxRetryDelay, Optional<DataSize> upload,
                        Optional<DataSize> download, int concurrency) {
        this(retries, retryDelay, maxRetryDelay, upload, download, concurrency, 0);
    }

    public TargetLimits {
        Objects.requireNonNull(retryDelay, "retryDelay");
        Objects.requireNonNull(maxRetryDelay, "maxRetryDelay");
        Objects.requireNonNull(upload, "upload");
        Objects.requireNonNull(download, "download");
    }
}
