package io.drover.runbook.model;

import io.drover.core.config.ConfigLocation;
import java.util.Objects;
import java.util.Optional;

/**
 * One declared parameter of a runbook.
 *
 * @param required whether it must be given; an optional parameter without a default is the empty string
 */
public record Parameter(String name, ParamType type, Optional<String> defaultValue, boolean required,
                        String description, ConfigLocation location) {
    public Parameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(location, "location");
    }
}
