package io.drover.core.config;

import java.util.Objects;

/**
 * One entry of {@code targets:} or {@code sources:}: its name, its {@code type} and its settings
 * bound to the connector factory's config record.
 */
public record ConnectorDefinition(String name, String type, Record settings) {
    public ConnectorDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(settings, "settings");
    }
}
