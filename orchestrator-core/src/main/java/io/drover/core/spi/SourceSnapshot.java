package io.drover.core.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Where a source stood when it was read.
 *
 * @param capturedAt the source's consistent time (snapshot start, LSN time); the recovery point's
 *                   RPO is measured from it
 * @param position   source-specific position (e.g. {@code lsn}, {@code binlog-file}); recorded in
 *                   the manifest
 */
public record SourceSnapshot(Instant capturedAt, Map<String, String> position) {
    /**
     * Position key of the canary: the ISO-8601 instant stamped on the marker row a database source
     * wrote just before its dump; restore verification reads it back ({@link ValidationCheck.Canary}).
     */
    public static final String CANARY_AT = "canary-at";

    public SourceSnapshot {
        Objects.requireNonNull(capturedAt, "capturedAt");
        position = Map.copyOf(position);
    }
}
