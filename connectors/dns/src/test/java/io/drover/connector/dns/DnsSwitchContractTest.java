package io.drover.connector.dns;

import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.TrafficSwitch;
import io.drover.core.spi.TrafficSwitchContract;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The dns switch passes the TrafficSwitch contract against a real BIND started by the test. */
class DnsSwitchContractTest extends TrafficSwitchContract {
    private static TestingBind bind;

    @BeforeAll
    static void start() throws Exception {
        bind = TestingBind.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (bind != null) {
            bind.close();
        }
    }

    static Map<String, String> targets() {
        Map<String, String> targets = new LinkedHashMap<>();
        targets.put("dc1", "192.0.2.10");
        targets.put("dr1", "198.51.100.10");
        return targets;
    }

    static TrafficSwitch create(DnsConfig config) {
        DnsTrafficFactory factory = new DnsTrafficFactory();
        if (!factory.validate(config).isEmpty()) {
            throw new IllegalArgumentException("test config is invalid: " + factory.validate(config));
        }
        return factory.create(config, new ConnectorContext("orders-dns", Path.of("/tmp"), Clock.systemUTC()));
    }

    @Override
    protected TrafficSwitch trafficSwitch() {
        return create(bind.ordersConfig());
    }

    @Override
    protected TrafficSwitch unreachableSwitch() throws Exception {
        int closedPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = free.getLocalPort();
        }
        DnsConfig config = bind.ordersConfig();
        return create(new DnsConfig("127.0.0.1:" + closedPort, config.zone(), config.name(), config.recordType(), config.ttl(),
                config.tsig(), config.targets(), java.time.Duration.ofSeconds(2)));
    }
}
