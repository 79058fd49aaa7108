package io.drover.core.spi;

import java.nio.file.Path;
import java.time.Duration;
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
 */
public record ScratchContext(Path workDirectory, Optional<LoadableSource> server, String label, Duration timeout) {
    public ScratchContext {
        Objects.requireNonNull(workDirectory, "workDirectory");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(timeout, "timeout");
        if (!label.matches("[a-z0-9_]{1,40}")) {
            throw new IllegalArgumentException("label must be 1-40 of [a-z0-9_]: " + label);
        }
    }
}
