package io.drover.connector.haproxy;

import io.drover.core.spi.ReplicatedDatabase;
import io.drover.core.spi.TrafficSwitch;
import io.drover.core.spi.action.ActionContext;
import io.drover.core.spi.action.ActionServices;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the runbook engine offers actions, for driving this connector's actions without the engine
 * (connectors do not depend on the runbooks module): the named traffic switches, no databases and no
 * alert channels. Each {@link #traffic} call opens a new switch, as the engine does, since actions
 * close theirs.
 */
final class TestingActionServices implements ActionServices {
    private final Map<String, Supplier<TrafficSwitch>> switches = new LinkedHashMap<>();

    TestingActionServices withTraffic(String name, Supplier<TrafficSwitch> opens) {
        switches.put(name, opens);
        return this;
    }

    /** A context for step {@code stepId} of execution 1, with a minute to go and progress lines going to {@code log}. */
    ActionContext context(String stepId, Path stateDir, Consumer<String> log) {
        Clock clock = Clock.systemUTC();
        return new ActionContext(1, stepId, "haproxy-test", clock.instant().plus(Duration.ofMinutes(1)), clock, stateDir, log, this);
    }

    @Override
    public List<String> alertChannels() {
        return List.of();
    }

    @Override
    public List<String> notify(String key, Severity severity, String title, String text, Map<String, Object> fields) {
        return List.of(); // no channels, so nothing is sent
    }

    @Override
    public ReplicatedDatabase database(String name) {
        throw new IllegalArgumentException("no database '" + name + "' under databases:; none are defined");
    }

    @Override
    public TrafficSwitch traffic(String name) {
        Supplier<TrafficSwitch> opens = switches.get(name);
        if (opens == null) {
            throw new IllegalArgumentException("no traffic switch '" + name + "' under traffic:; defined: "
                    + String.join(", ", switches.keySet()));
        }
        return opens.get();
    }
}
