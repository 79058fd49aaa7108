package io.drover.core.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where traffic goes now.
 *
 * @param active  the targets that take traffic
 * @param details per target, the switch's own words (e.g. {@code READY, UP, weight 100})
 */
public record TrafficState(List<String> active, Map<String, String> details) {
    public TrafficState {
        active = List.copyOf(active);
        details = Map.copyOf(Objects.requireNonNull(details, "details"));
    }
}
