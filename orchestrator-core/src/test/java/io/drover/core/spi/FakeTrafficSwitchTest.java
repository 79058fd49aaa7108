package io.drover.core.spi;

import java.util.Map;

/** The in-memory fake passes the same contract as the real traffic switches. */
class FakeTrafficSwitchTest extends TrafficSwitchContract {
    private static final Map<String, String> TARGETS = Map.of("dc1", "pg1", "dr1", "pg2");
    private final FakeTrafficSwitch.Balancer balancer = new FakeTrafficSwitch.Balancer(
            new java.util.TreeMap<>(TARGETS));

    @Override
    protected TrafficSwitch trafficSwitch() {
        return new FakeTrafficSwitch(balancer, "lb");
    }

    @Override
    protected TrafficSwitch unreachableSwitch() {
        return FakeTrafficSwitch.unreachable(TARGETS, "down");
    }
}
