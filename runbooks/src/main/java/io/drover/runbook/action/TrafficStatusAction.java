package io.drover.runbook.action;

import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.TrafficState;
import io.drover.core.spi.TrafficSwitch;
import io.drover.core.spi.action.Action;
import io.drover.core.spi.action.ActionCapability;
import io.drover.core.spi.action.ActionContext;
import io.drover.core.spi.action.ActionFactory;
import io.drover.core.spi.action.ActionFailedException;
import io.drover.core.spi.action.ActionOutputs;
import io.drover.core.spi.action.ActionPlan;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code action: traffic-status}: reports which targets of a traffic switch under {@code traffic:}
 * take traffic now. Output {@code active}: the active targets, comma-separated (empty if none).
 */
public final class TrafficStatusAction implements Action {
    private final Config config;

    TrafficStatusAction(Config config) {
        this.config = config;
    }

    /**
     * The {@code with:} of a traffic-status step.
     *
     * @param traffic the switch's name under {@code traffic:}
     */
    public record Config(String traffic) {
    }

    /** Finds {@code action: traffic-status}. */
    public static final class Factory implements ActionFactory<Config> {
        @Override
        public String type() {
            return "traffic-status";
        }

        @Override
        public Class<Config> configType() {
            return Config.class;
        }

        @Override
        public String description() {
            return "report which targets of a traffic switch take traffic";
        }

        @Override
        public List<ConfigProblem> validate(Config config) {
            return config.traffic().isBlank() ? List.of(new ConfigProblem("traffic", "traffic must name a switch under traffic:"))
                    : List.of();
        }

        @Override
        public Action create(Config config) {
            return new TrafficStatusAction(config);
        }
    }

    @Override
    public Set<ActionCapability> capabilities() {
        return EnumSet.noneOf(ActionCapability.class);
    }

    @Override
    public ActionPlan plan(ActionContext context) {
        return ActionPlan.of("report where the traffic of " + config.traffic() + " goes",
                TrafficSwitches.reachable(context, config.traffic()).precondition());
    }

    @Override
    public ActionOutputs run(ActionContext context) {
        try (TrafficSwitch sw = TrafficSwitches.open(context, config.traffic())) {
            TrafficState state = sw.state();
            context.log().accept(config.traffic() + ": " + TrafficSwitches.describe(state));
            return ActionOutputs.of(Map.of("active", String.join(",", state.active())));
        } catch (IOException e) {
            throw new ActionFailedException("cannot read the state of " + config.traffic() + ": " + e.getMessage(), List.of(), e);
        }
    }
}
