package io.drover.core.spi.action;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Named string values a step produced; later steps read them as {@code ${steps.ID.outputs.NAME}}.
 * Journaled in the catalog, so never put secrets here.
 */
public record ActionOutputs(Map<String, String> values) {
    public static final ActionOutputs NONE = new ActionOutputs(Map.of());

    public ActionOutputs {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(values, "values")));
        values.forEach((k, v) -> {
            Objects.requireNonNull(k, "output name");
            Objects.requireNonNull(v, "output " + k);
        });
    }

    public static ActionOutputs of(Map<String, String> values) {
        return new ActionOutputs(values);
    }
}
