package io.drover.core.config;

import io.drover.core.spi.Default;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code services.<name>}: one entry of the business impact analysis. */
public record ServiceConfig(@Default("3") int tier, Optional<String> owner, Optional<Duration> rpo,
                            Optional<Duration> rto, @Default("[]") List<String> protectedBy,
                            @Default("[]") List<String> dependsOn, @Default("[]") List<String> runbooks) {
    public ServiceConfig {
        protectedBy = List.copyOf(protectedBy);
        dependsOn = List.copyOf(dependsOn);
        runbooks = List.copyOf(runbooks);
    }
}
