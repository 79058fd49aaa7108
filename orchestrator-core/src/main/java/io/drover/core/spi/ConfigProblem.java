package io.drover.core.spi;

import java.util.Objects;

/**
 * A problem in a connector's config found by {@link ConnectorFactory#validate}. {@code field} is the
 * kebab-case key inside the connector's section (empty for the section as a whole); core adds the
 * file, line and column.
 */
public record ConfigProblem(String field, String message) {
    public ConfigProblem {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }
}
