package io.drover.core.catalog;

/** What became of one alert on one channel. */
public enum AlertOutcome {
    /** Claimed for sending; becomes SENT or FAILED. */
    PENDING,
    SENT,
    /** The channel refused it or could not be reached. */
    FAILED,
    /** The same alert went out within the dedupe window. */
    DEDUPLICATED,
    /** The channel's rate limit was reached; counted in the next alert that goes out. */
    RATE_LIMITED
}
