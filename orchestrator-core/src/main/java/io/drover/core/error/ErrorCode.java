package io.drover.core.error;

/** A stable, documented error identifier. Implemented by one enum per area. */
public interface ErrorCode {
    /** Stable identifier such as {@code CONFIG_INVALID}; shown to users and in JSON output. */
    String name();

    ErrorType type();
}
