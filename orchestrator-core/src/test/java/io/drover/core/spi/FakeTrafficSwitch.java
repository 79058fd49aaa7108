package io.drover.core.spi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link TrafficSwitch}: a {@link Balancer} holds which targets take traffic and
 * outlives the switches opened on it (actions close their switch), like a real load balancer.
 */
public final class FakeTrafficSwitch implements TrafficSwitch {

    /** The shared state: targets in order, the active ones, and how often traffic was routed. */
    public static final class Balancer {
        private final Map<String, String> targets;
        private final Set<String> active = new LinkedHashSet<>();
        public final AtomicInteger routes = new AtomicInteger();
        private volatile boolean reachable = true;

        /** A balancer over {@code targets} (member → server), all of them active, as after a fresh start. */
        public Balancer(Map<String, String> targets) {
            this.targets = Collections.unmodifiableMap(new LinkedHashMap<>(targets));
            active.addAll(targets.keySet());
        }

        public synchronized List<String> active() {
            return List.copyOf(active);
        }

        public synchronized void setActive(String... targets) {
            active.clear();
            active.addAll(List.of(targets));
        }

        /** Makes every switch on this balancer fail as if it could not be reached. */
        public void setReachable(boolean reachable) {
            this.reachable = reachable;
        }
    }

    private final Balancer balancer;
    private final String name;

    public FakeTrafficSwitch(Balancer balancer, String name) {
        this.balancer = balancer;
        this.name = name;
    }

    /** A switch on a new balancer that can never be reached. */
    public static FakeTrafficSwitch unreachable(Map<String, String> targets, String name) {
        Balancer balancer = new Balancer(targets);
        balancer.setReachable(false);
        return new FakeTrafficSwitch(balancer, name);
    }

    @Override
    public String describe() {
        return "fake switch " + name;
    }

    @Override
    public Map<String, String> targets() {
        return balancer.targets;
    }

    private void reach() throws IOException {
        if (!balancer.reachable) {
            throw new IOException("cannot reach " + describe() + ": connection refused");
        }
    }

    @Override
    public TrafficState state() throws IOException {
        reach();
        synchronized (balancer) {
            Map<String, String> details = new LinkedHashMap<>();
            balancer.targets.forEach((target, server) -> details.put(target,
                    server + (balancer.active.contains(target) ? " READY" : " MAINT")));
            return new TrafficState(new ArrayList<>(balancer.active), details);
        }
    }

    @Override
    public void routeTo(String target) throws IOException {
        reach();
        if (!balancer.targets.containsKey(target)) {
            throw new IOException(describe() + " has no target '" + target + "'; its targets: " + balancer.targets.keySet());
        }
        balancer.routes.incrementAndGet();
        balancer.setActive(target);
    }
}
