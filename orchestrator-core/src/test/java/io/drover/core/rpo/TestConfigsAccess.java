package io.drover.core.rpo;

import io.drover.core.config.AlertsConfig;
import io.drover.core.config.DroverConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** A config with one service and no connectors, for tests outside this package. */
public final class TestConfigsAccess {
    private TestConfigsAccess() {
    }

    public static DroverConfig config() {
        return TestConfigs.config(Map.of(), Map.of("svc", TestConfigs.service(Optional.of(Duration.ofHours(1)),
                Optional.empty())), 0.75, AlertsConfig.none());
    }
}
