package io.drover.core.config;

import java.util.List;

/**
 * The outcome of binding config: the value, or {@code null} together with every problem found.
 */
public record BindResult<T>(T value, List<ConfigProblemReport> problems) {
    public BindResult {
        problems = List.copyOf(problems);
        if (value == null && problems.isEmpty()) {
            throw new IllegalArgumentException("a result without a value must have problems");
        }
        if (value != null && !problems.isEmpty()) {
            throw new IllegalArgumentException("a result with problems must not have a value");
        }
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
