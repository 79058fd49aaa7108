package io.drover.core.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a scratch database for restore verification may live.
 *
 * @param workDirectory an empty private directory for a temporary instance's data and sockets;
 *                      core deletes it afterwards (the connector may need to hand it to a service
 *                      user such as {@code postgres})
 * @param server        a source of the same type naming a server on which to create (and later
 *                      drop) a scratch database instead of starting a temporary instance
 * @param label         a short unique label (letters, digits, '_') for names of scratch databases
 * @param timeout       how long starting, loading and checking may take in all
 * @param position      the source position recorded with the backup to be loaded (e.g. the
 *                      {@code server-version} it was dumped from), so that a temporary instance
 *                      matches the backup rather than today's source server
 */
public record ScratchContext(Path workDirectory, Optional<LoadableSource> server, String label, Duration timeout,
                             Map<String, String> position) {
    public ScratchContext {
        Objects.requireNonNull(workDirectory, "workDirectory");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(timeout, "timeout");
        position = Map.copyOf(position);
        if (!label.matches("[a-z0-9_]{1,40}")) {
            throw new IllegalArgumentException("label must be 1-40 of [a-z0-9_]: " + label);
        }
    }

    /** A context for a backup that recorded no position. */
    public ScratchContext(Path workDirectory, Optional<LoadableSource> server, String label, Duration timeout) {
        this(workDirectory, server, label, timeout, Map.of());
    }
}
