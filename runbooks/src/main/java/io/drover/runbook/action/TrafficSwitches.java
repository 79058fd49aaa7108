package io.drover.runbook.action;

import io.drover.core.spi.TrafficState;
import io.drover.core.spi.TrafficSwitch;
import io.drover.core.spi.action.ActionContext;
import io.drover.core.spi.action.ActionFailedException;
import io.drover.core.spi.action.Precondition;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** What the traffic actions share: opening a switch of drover.yaml and reading it without side effects. */
final class TrafficSwitches {
    private TrafficSwitches() {
    }

    /** The switch {@code name}; an unknown name fails the action naming the defined ones. */
    static TrafficSwitch open(ActionContext context, String name) {
        try {
            return context.services().traffic(name);
        } catch (IllegalArgumentException e) {
            throw new ActionFailedException(e.getMessage());
        }
    }

    static void close(TrafficSwitch sw) {
        try {
            sw.close();
        } catch (IOException e) {
            // nothing was changed by closing; the state is what matters
        }
    }

    static String describe(TrafficState state) {
        return "active " + (state.active().isEmpty() ? "none" : String.join(", ", state.active())) + " ("
                + new java.util.TreeMap<>(state.details()).entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining("; "))
                + ")";
    }

    /**
     * The switch's targets and state now, or why they could not be read; for plans.
     *
     * @param targets empty when the switch is not defined
     * @param state   empty when it is not defined or cannot be reached
     * @param problem why not, for the precondition
     */
    record Look(String name, Optional<Map<String, String>> targets, Optional<TrafficState> state, String problem) {
        Precondition precondition() {
            String requirement = name + " can be reached";
            return state.map(s -> Precondition.passed(requirement, describe(s))).orElseGet(() -> Precondition.failed(requirement, problem));
        }
    }

    static Look reachable(ActionContext context, String name) {
        TrafficSwitch sw;
        try {
            sw = context.services().traffic(name);
        } catch (IllegalArgumentException e) {
            return new Look(name, Optional.empty(), Optional.empty(), e.getMessage());
        }
        try {
            Map<String, String> targets = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sw.targets()));
            try {
                return new Look(name, Optional.of(targets), Optional.of(sw.state()), "");
            } catch (IOException e) {
                return new Look(name, Optional.of(targets), Optional.empty(), e.getMessage());
            }
        } finally {
            close(sw);
        }
    }

    static List<String> split(String targets) {
        return targets.isBlank() ? List.of() : List.of(targets.split(","));
    }
}
