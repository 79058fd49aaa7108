package io.drover.connector.haproxy;

import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.TrafficSwitch;
import io.drover.core.spi.TrafficSwitchContract;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The haproxy switch passes the TrafficSwitch contract against a real haproxy started by the test. */
class HaproxySwitchContractTest extends TrafficSwitchContract {
    @TempDir
    Path dir;

    private TestingHaproxy haproxy;

    @BeforeEach
    void start() throws Exception {
        haproxy = new TestingHaproxy(dir);
    }

    @AfterEach
    void stop() throws Exception {
        haproxy.close();
    }

    static Map<String, String> targets() {
        Map<String, String> targets = new LinkedHashMap<>();
        targets.put("dc1", "pg1");
        targets.put("dr1", "pg2");
        return targets;
    }

    private static TrafficSwitch create(HaproxyConfig config) {
        return new HaproxyTrafficFactory().create(config, new ConnectorContext("lb", Path.of("/tmp"), Clock.systemUTC()));
    }

    @Override
    protected TrafficSwitch trafficSwitch() {
        return create(haproxy.config(targets()));
    }

    @Override
    protected TrafficSwitch unreachableSwitch() {
        return create(new HaproxyConfig(dir.resolve("nobody-listens.sock"), TestingHaproxy.BACKEND, targets(), Duration.ofSeconds(2)));
    }
}
