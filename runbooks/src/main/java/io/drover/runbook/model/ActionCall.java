package io.drover.runbook.model;

import io.drover.core.config.ConfigLocation;
import io.drover.core.config.ConfigNode;
import java.util.Objects;

/**
 * An action with its {@code with:} arguments as written; references in them are substituted and
 * the result bound to the action's config record when the step runs.
 */
public record ActionCall(String action, ConfigNode with, String path, ConfigLocation location) {
    public ActionCall {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(with, "with");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(location, "location");
    }
}
