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
import io.drover.core.spi.action.CheckOutcome;
import io.drover.core.spi.action.Precondition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code action: traffic-switch}: sends all traffic of a switch under {@code traffic:} to one target
 * ({@link TrafficSwitch#routeTo}). Done when {@code to} is the only active target. Output
 * {@code previous}: the targets that were active before, comma-separated; {@code undo} routes back
 * to it. Before it changes anything, the step writes {@code previous} into the state directory, so
 * that a step found already done after a crash still reports (and can undo to) what was active
 * before the crash rather than what is active now.
 */
public final class TrafficSwitchAction implements Action {
    private final Config config;

    TrafficSwitchAction(Config config) {
        this.config = config;
    }

    /**
     * The {@code with:} of a traffic-switch step.
     *
     * @param traffic the switch's name under {@code traffic:}
     * @param to      the target (member name) that gets all the traffic
     */
    public record Config(String traffic, String to) {
    }

    /** Finds {@code action: traffic-switch}. */
    public static final class Factory implements ActionFactory<Config> {
        @Override
        public String type() {
            return "traffic-switch";
        }

        @Override
        public Class<Config> configType() {
            return Config.class;
        }

        @Override
        public String description() {
            return "send all traffic of a traffic switch to one target";
        }

        @Override
        public List<ConfigProblem> validate(Config config) {
            List<ConfigProblem> problems = new ArrayList<>();
            if (config.traffic().isBlank()) {
                problems.add(new ConfigProblem("traffic", "traffic must name a switch under traffic:"));
            }
            if (config.to().isBlank() || config.to().contains(",")) {
                problems.add(new ConfigProblem("to", "to must name one target of the switch, got '" + config.to() + "'"));
            }
            return problems;
        }

        @Override
        public Action create(Config config) {
            return new TrafficSwitchAction(config);
        }
    }

    @Override
    public Set<ActionCapability> capabilities() {
        return EnumSet.of(ActionCapability.CHECK, ActionCapability.UNDO);
    }

    @Override
    public ActionPlan plan(ActionContext context) {
        TrafficSwitches.Look look = TrafficSwitches.reachable(context, config.traffic());
        String now = look.state().map(s -> s.active().isEmpty() ? "nowhere" : String.join(", ", s.active())).orElse("unknown");
        Precondition known = look.targets()
                .map(targets -> targets.containsKey(config.to())
                        ? Precondition.passed(config.to() + " is a target of " + config.traffic(), config.to() + " → " + targets.get(config.to()))
                        : Precondition.failed(config.to() + " is a target of " + config.traffic(), "its targets: "
                                + String.join(", ", targets.keySet())))
                .orElseGet(() -> Precondition.failed(config.to() + " is a target of " + config.traffic(), look.problem()));
        return ActionPlan.of("route traffic of " + config.traffic() + " to " + config.to() + " (now: " + now + ")",
                known, look.precondition());
    }

    private Path previousFile(ActionContext context) {
        return context.stateDir().resolve("runbook-traffic").resolve(context.executionId() + "-" + context.stepId() + ".previous");
    }

    private Optional<String> recordedPrevious(ActionContext context) {
        Path file = previousFile(context);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TrafficState state(TrafficSwitch sw, String name) {
        try {
            return sw.state();
        } catch (IOException e) {
            throw new ActionFailedException("cannot read the state of " + name + ": " + e.getMessage(), List.of(), e);
        }
    }

    @Override
    public CheckOutcome check(ActionContext context) {
        try (TrafficSwitch sw = TrafficSwitches.open(context, config.traffic())) {
            TrafficState state = state(sw, config.traffic());
            if (state.active().equals(List.of(config.to()))) {
                String previous = recordedPrevious(context).orElse(config.to());
                return CheckOutcome.done("only " + config.to() + " takes traffic of " + config.traffic(),
                        ActionOutputs.of(Map.of("previous", previous)));
            }
            return CheckOutcome.notDone(config.traffic() + ": " + TrafficSwitches.describe(state));
        } catch (IOException e) {
            throw new ActionFailedException("cannot close " + config.traffic() + ": " + e.getMessage(), List.of(), e);
        }
    }

    @Override
    public ActionOutputs run(ActionContext context) {
        try (TrafficSwitch sw = TrafficSwitches.open(context, config.traffic())) {
            TrafficState before = state(sw, config.traffic());
            String previous = recordedPrevious(context).orElse(String.join(",", before.active()));
            Path file = previousFile(context);
            Files.createDirectories(file.getParent());
            Files.writeString(file, previous + "\n", StandardCharsets.UTF_8);
            context.log().accept("routing " + config.traffic() + " to " + config.to() + "; before: " + TrafficSwitches.describe(before));
            try {
                sw.routeTo(config.to());
            } catch (IOException e) {
                throw new ActionFailedException("routing " + config.traffic() + " to " + config.to() + " failed: " + e.getMessage(),
                        List.of(), e);
            }
            context.log().accept(config.traffic() + ": " + TrafficSwitches.describe(state(sw, config.traffic())));
            return ActionOutputs.of(Map.of("previous", previous));
        } catch (IOException e) {
            throw new ActionFailedException("cannot record the state of " + config.traffic() + " before switching: " + e.getMessage(),
                    List.of(), e);
        }
    }

    @Override
    public void undo(ActionContext context, ActionOutputs outputs) {
        List<String> previous = TrafficSwitches.split(outputs.values().getOrDefault("previous", ""));
        if (previous.size() != 1) {
            throw new ActionFailedException("cannot route " + config.traffic() + " back: before the switch "
                    + (previous.isEmpty() ? "no target" : previous.stream().collect(Collectors.joining(", ")))
                    + " took traffic, and a switch routes all traffic to one target; set it by hand");
        }
        try (TrafficSwitch sw = TrafficSwitches.open(context, config.traffic())) {
            context.log().accept("routing " + config.traffic() + " back to " + previous.getFirst());
            sw.routeTo(previous.getFirst());
        } catch (IOException e) {
            throw new ActionFailedException("routing " + config.traffic() + " back to " + previous.getFirst() + " failed: "
                    + e.getMessage(), List.of(), e);
        }
    }
}
