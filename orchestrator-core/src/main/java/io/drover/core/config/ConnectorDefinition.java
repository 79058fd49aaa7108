package io.drover.core.config;

import java.util.Objects;

/**
 * One entry of {@code targets:} or {@code sources:}: its name, its {@code type}, its settings
 * bound to the connector factory's config record and, for targets, the {@code limits:} core applies.
 */
public record ConnectorDefinition(String name, String type, Record settings, TargetLimits limits) {
    public ConnectorDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(limits, "limits");
    }

    /** A definition with {@link TargetLimits#DEFAULT} (every source, and targets without {@code limits:}). */
    public ConnectorDefinition(String name, String type, Record settings) {
        this(name, type, settings, TargetLimits.DEFAULT);
    }
}
