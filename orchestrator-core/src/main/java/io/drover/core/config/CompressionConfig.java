package io.drover.core.config;

import io.drover.core.spi.Default;

/**
 * {@code compression:} of a job.
 *
 * @param level   zstd level, 1 (fast) to 19 (small)
 * @param workers zstd worker threads; 0 means one per available core
 */
public record CompressionConfig(@Default("3") int level, @Default("0") int workers) {
}
