package io.drover.core.spi;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * What core hands a connector at creation.
 *
 * @param name     the connector's name in the config (the key under {@code targets:} or {@code sources:})
 * @param stateDir drover's state directory; a connector may keep private state under
 *                 {@code stateDir/connectors/<type>/<name>}
 * @param clock    the clock to use for every time stamp
 */
public record ConnectorContext(String name, Path stateDir, Clock clock) {
    public ConnectorContext {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(clock, "clock");
    }
}
