package io.drover.connector.nginx;

import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.TrafficSwitch;
import io.drover.core.spi.TrafficSwitchContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The nginx switch passes the TrafficSwitch contract against a real nginx started by the test. */
class NginxSwitchContractTest extends TrafficSwitchContract {
    private TestingNginx nginx;

    @BeforeEach
    void start() throws Exception {
        nginx = new TestingNginx();
    }

    @AfterEach
    void stop() throws Exception {
        nginx.close();
    }

    private static TrafficSwitch create(NginxConfig config) {
        return new NginxTrafficFactory().create(config, new ConnectorContext("web", Path.of("/tmp"), Clock.systemUTC()));
    }

    @Override
    protected TrafficSwitch trafficSwitch() {
        return create(nginx.switchConfig());
    }

    /** The same upstream in a config whose pid file no master wrote: an nginx that is not running. */
    @Override
    protected TrafficSwitch unreachableSwitch() throws Exception {
        Path stopped = nginx.dir.resolve("stopped");
        Files.createDirectories(stopped);
        Path config = stopped.resolve("nginx.conf");
        Files.writeString(config, nginx.configText("").replace(nginx.dir + "/nginx.pid", stopped + "/nginx.pid"));
        return create(new NginxConfig(TestingNginx.UPSTREAM, nginx.include, nginx.servers(), TestingNginx.NGINX, Optional.of(config),
                Duration.ofSeconds(5)));
    }
}
