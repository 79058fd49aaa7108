package io.drover.connector.haproxy;

import io.drover.core.spi.ConfigProblem;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code action: haproxy-server}: sets one server of a {@code haproxy} switch under {@code traffic:}
 * to ready, drain or maint and/or gives it a weight, through the Runtime API; for gradual moves
 * (drain a server before its maintenance, shift weights) where {@code traffic-switch} moves all
 * traffic at once.
 *
 * <p>Done when the server already has that state and weight (and, with {@code wait-sessions}, no
 * current sessions). Outputs {@code previous-state}, {@code previous-weight}, {@code state},
 * {@code weight} and {@code sessions}. Before it changes anything the step writes the previous state
 * and weight into the state directory, so that a step found already done after a crash still reports
 * (and undoes to) what the server had before the crash. {@code undo} restores the previous value of
 * what the step sets: its state if it set {@code state}, its weight if it set {@code weight}.
 */
public final class HaproxyServerAction implements Action {
    /** How often {@code wait-sessions} asks HAProxy for the server's sessions. */
    private static final Duration SESSION_POLL = Duration.ofMillis(200);
    /** How often {@code wait-sessions} tells the operator what it still waits for. */
    private static final Duration SESSION_LOG = Duration.ofSeconds(5);

    private final Config config;

    HaproxyServerAction(Config config) {
        this.config = config;
    }

    /**
     * The {@code with:} of a haproxy-server step.
     *
     * @param traffic      the switch's name under {@code traffic:}; it must be of type haproxy
     * @param target       a target of the switch (a member name), which names its server; or
     * @param server       a server of the switch's backend, by its HAProxy name
     * @param state        the administrative state to set
     * @param weight       the weight to set, 0 to 256
     * @param waitSessions with state drain or maint: how long to wait for the server's current
     *                     sessions to end before the step fails
     */
    public record Config(String traffic, Optional<String> target, Optional<String> server, Optional<ServerAdminState> state,
                         Optional<Integer> weight, Optional<Duration> waitSessions) {
    }

    /** Finds {@code action: haproxy-server}. */
    public static final class Factory implements ActionFactory<Config> {
        @Override
        public String type() {
            return "haproxy-server";
        }

        @Override
        public Class<Config> configType() {
            return Config.class;
        }

        @Override
        public String description() {
            return "set one HAProxy server's state (ready, drain, maint) and/or weight";
        }

        @Override
        public List<ConfigProblem> validate(Config config) {
            List<ConfigProblem> problems = new ArrayList<>();
            if (config.traffic().isBlank()) {
                problems.add(new ConfigProblem("traffic", "traffic must name a switch of type haproxy under traffic:"));
            }
            if (config.target().isPresent() == config.server().isPresent()) {
                problems.add(new ConfigProblem("target", "name the server with exactly one of target (a target of the switch, e.g. dc1)"
                        + " or server (a server of its backend, e.g. pg1)"));
            }
            config.target().filter(t -> !HaproxyTrafficFactory.isName(t)).ifPresent(t -> problems.add(new ConfigProblem("target",
                    "target must be a target name of the switch (letters, digits, _ . : -), got '" + t + "'")));
            config.server().filter(s -> !HaproxyTrafficFactory.isName(s)).ifPresent(s -> problems.add(new ConfigProblem("server",
                    "server must be a HAProxy server name (letters, digits, _ . : -), got '" + s + "'")));
            if (config.state().isEmpty() && config.weight().isEmpty()) {
                problems.add(new ConfigProblem("state", "set at least one of state (ready, drain, maint) and weight (0 to 256)"));
            }
            config.weight().filter(w -> w < 0 || w > 256).ifPresent(w -> problems.add(new ConfigProblem("weight",
                    "weight must be between 0 and 256, got " + w)));
            config.waitSessions().ifPresent(wait -> {
                if (wait.isNegative() || wait.isZero()) {
                    problems.add(new ConfigProblem("wait-sessions", "wait-sessions must be positive, got " + wait));
                }
                if (config.state().filter(s -> s != ServerAdminState.READY).isEmpty()) {
                    problems.add(new ConfigProblem("wait-sessions", "wait-sessions waits for the sessions of a server that takes no"
                            + " new ones; it needs state: drain or maint"));
                }
            });
            return problems;
        }

        @Override
        public Action create(Config config) {
            return new HaproxyServerAction(config);
        }
    }

    @Override
    public Set<ActionCapability> capabilities() {
        return EnumSet.of(ActionCapability.CHECK, ActionCapability.UNDO);
    }

    /** The server this step changes, on an open switch. */
    private record Server(HaproxySwitch lb, String name, String label) implements AutoCloseable {
        String path() {
            return lb.backend() + "/" + name;
        }

        ServerState state() throws IOException {
            return lb.server(name);
        }

        ServerStats stats() throws IOException {
            return lb.stats(name);
        }

        @Override
        public void close() throws IOException {
            lb.close();
        }
    }

    /** What the server has now: its state and weight from {@code show servers state}, its sessions from {@code show stat}. */
    private record Now(ServerState state, ServerStats stats) {
        String describe() {
            return state.detail() + ", " + stats.sessions() + (stats.sessions() == 1 ? " session" : " sessions");
        }
    }

    /** The state and weight before the step changed anything. */
    private record Previous(ServerAdminState state, int weight) {
    }

    /**
     * Opens the switch and finds the server; fails naming what is wrong when the switch is not
     * defined, not of type haproxy, or has no such target.
     */
    private Server open(ActionContext context) {
        TrafficSwitch sw;
        try {
            sw = context.services().traffic(config.traffic());
        } catch (IllegalArgumentException e) {
            throw new ActionFailedException(e.getMessage());
        }
        if (!(sw instanceof HaproxySwitch lb)) {
            String what = sw.describe();
            closeQuietly(sw);
            throw new ActionFailedException("traffic switch " + config.traffic() + " is " + what
                    + ", not of type haproxy; haproxy-server only works with a switch of type: haproxy");
        }
        if (config.server().isPresent()) {
            return new Server(lb, config.server().get(), lb.backend() + "/" + config.server().get());
        }
        String target = config.target().orElseThrow();
        String server = lb.targets().get(target);
        if (server == null) {
            closeQuietly(lb);
            throw new ActionFailedException("traffic switch " + config.traffic() + " has no target '" + target + "'; its targets: "
                    + String.join(", ", lb.targets().keySet()));
        }
        return new Server(lb, server, lb.backend() + "/" + server + " (target " + target + " of " + config.traffic() + ")");
    }

    private static void closeQuietly(TrafficSwitch sw) {
        try {
            sw.close();
        } catch (IOException e) {
            // closing changes nothing on HAProxy; what the action reports is what matters
        }
    }

    private static Now read(Server server) {
        try {
            return new Now(server.state(), server.stats());
        } catch (IOException e) {
            throw new ActionFailedException("cannot read the state of " + server.label() + ": " + e.getMessage(), List.of(), e);
        }
    }

    /** The changes this step would make to a server in {@code now}, e.g. {@code state READY → DRAIN}; empty when none. */
    private List<String> changes(ServerState now) {
        List<String> changes = new ArrayList<>();
        config.state().filter(s -> s != now.admin()).ifPresent(s -> changes.add("state " + now.admin() + " → " + s));
        config.weight().filter(w -> w != now.weight()).ifPresent(w -> changes.add("weight " + now.weight() + " → " + w));
        return changes;
    }

    private String wanted() {
        return describe(config.state(), config.weight());
    }

    private static String describe(Optional<ServerAdminState> state, Optional<Integer> weight) {
        List<String> parts = new ArrayList<>();
        state.ifPresent(s -> parts.add("state " + s.keyword()));
        weight.ifPresent(w -> parts.add("weight " + w));
        return String.join(", ", parts);
    }

    @Override
    public ActionPlan plan(ActionContext context) {
        String what = config.server().map(s -> "server " + s).orElseGet(() -> "target " + config.target().orElseThrow());
        String summary = "set " + what + " of " + config.traffic() + " to " + wanted()
                + config.waitSessions().map(w -> ", then wait up to " + w + " for its sessions to end").orElse("");
        String requirement = what + " of " + config.traffic() + " is a server of a haproxy switch";
        Server server;
        try {
            server = open(context);
        } catch (ActionFailedException e) {
            return ActionPlan.of(summary, Precondition.failed(requirement, e.getMessage()));
        }
        try (server) {
            Now now = read(server);
            List<String> changes = changes(now.state());
            String detail = server.label() + " now " + now.describe() + "; "
                    + (changes.isEmpty() ? "nothing to change" : "would change " + String.join(", ", changes));
            return ActionPlan.of(summary, Precondition.passed(requirement, detail));
        } catch (ActionFailedException e) {
            return ActionPlan.of(summary, Precondition.failed(requirement, e.getMessage()));
        } catch (IOException e) {
            return ActionPlan.of(summary, Precondition.failed(requirement, "cannot close " + config.traffic() + ": " + e.getMessage()));
        }
    }

    private Path previousFile(ActionContext context) {
        return context.stateDir().resolve("runbook-haproxy").resolve(context.executionId() + "-" + context.stepId() + ".previous");
    }

    private Optional<Previous> recordedPrevious(ActionContext context) {
        Path file = previousFile(context);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            String[] recorded = Files.readString(file, StandardCharsets.UTF_8).strip().split(" ");
            return Optional.of(new Previous(ServerAdminState.ofKeyword(recorded[0]), Integer.parseInt(recorded[1])));
        } catch (IOException | RuntimeException e) {
            throw new ActionFailedException("cannot read what " + file + " recorded before the step changed the server: "
                    + e.getMessage(), List.of(), e);
        }
    }

    private void recordPrevious(ActionContext context, Previous previous) {
        Path file = previousFile(context);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, previous.state().keyword() + " " + previous.weight() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ActionFailedException("cannot record the state of the server before changing it in " + file + ": "
                    + e.getMessage(), List.of(), e);
        }
    }

    private static ActionOutputs outputs(Previous previous, Now now) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("previous-state", previous.state().keyword());
        values.put("previous-weight", Integer.toString(previous.weight()));
        values.put("state", now.state().admin().keyword());
        values.put("weight", Integer.toString(now.state().weight()));
        values.put("sessions", Integer.toString(now.stats().sessions()));
        return ActionOutputs.of(values);
    }

    @Override
    public CheckOutcome check(ActionContext context) {
        try (Server server = open(context)) {
            Now now = read(server);
            List<String> changes = changes(now.state());
            boolean sessionsEnded = config.waitSessions().isEmpty() || now.stats().sessions() == 0;
            if (changes.isEmpty() && sessionsEnded) {
                Previous previous = recordedPrevious(context).orElse(new Previous(now.state().admin(), now.state().weight()));
                return CheckOutcome.done(server.label() + " already has " + wanted()
                        + (config.waitSessions().isPresent() ? " and no sessions" : ""), outputs(previous, now));
            }
            return CheckOutcome.notDone(server.label() + ": " + now.describe());
        } catch (IOException e) {
            throw new ActionFailedException("cannot close " + config.traffic() + ": " + e.getMessage(), List.of(), e);
        }
    }

    @Override
    public ActionOutputs run(ActionContext context) throws InterruptedException {
        try (Server server = open(context)) {
            Now before = read(server);
            // A retried step keeps what was there before its first attempt, not what that attempt left.
            Previous previous = recordedPrevious(context).orElse(new Previous(before.state().admin(), before.state().weight()));
            recordPrevious(context, previous);
            context.log().accept("setting " + server.label() + " to " + wanted() + "; before: " + before.describe());
            apply(server, config.state(), config.weight());
            if (config.waitSessions().isPresent()) {
                waitForSessionsToEnd(context, server, config.waitSessions().get(), config.state().orElseThrow());
            }
            Now after = read(server);
            context.log().accept(server.label() + ": " + after.describe());
            return outputs(previous, after);
        } catch (IOException e) {
            throw new ActionFailedException("cannot close " + config.traffic() + ": " + e.getMessage(), List.of(), e);
        }
    }

    @Override
    public void undo(ActionContext context, ActionOutputs outputs) {
        Optional<ServerAdminState> state = config.state().map(s -> previousState(outputs));
        Optional<Integer> weight = config.weight().map(w -> previousWeight(outputs));
        try (Server server = open(context)) {
            context.log().accept("restoring " + server.label() + " to " + describe(state, weight));
            apply(server, state, weight);
        } catch (IOException e) {
            throw new ActionFailedException("cannot close " + config.traffic() + ": " + e.getMessage(), List.of(), e);
        }
    }

    private static String output(ActionOutputs outputs, String name) {
        String value = outputs.values().get(name);
        if (value == null) {
            throw new ActionFailedException("cannot undo: the step's outputs have no " + name + " (they have "
                    + outputs.values().keySet() + ")");
        }
        return value;
    }

    private static ServerAdminState previousState(ActionOutputs outputs) {
        try {
            return ServerAdminState.ofKeyword(output(outputs, "previous-state"));
        } catch (IllegalArgumentException e) {
            throw new ActionFailedException("cannot undo: previous-state " + e.getMessage());
        }
    }

    private static int previousWeight(ActionOutputs outputs) {
        String weight = output(outputs, "previous-weight");
        try {
            return Integer.parseInt(weight);
        } catch (NumberFormatException e) {
            throw new ActionFailedException("cannot undo: previous-weight is not a number: '" + weight + "'");
        }
    }

    /**
     * Sends the commands for {@code state} and {@code weight}, then reads the server back and fails
     * unless HAProxy reports both. A server becoming ready gets its weight first, so that it takes
     * traffic at the new weight from its first connection; one leaving gets its state first, so that
     * it stops taking new connections before anything else changes.
     */
    private static void apply(Server server, Optional<ServerAdminState> state, Optional<Integer> weight) {
        Optional<String> stateCommand = state.map(s -> "set server " + server.path() + " state " + s.keyword());
        Optional<String> weightCommand = weight.map(w -> "set server " + server.path() + " weight " + w);
        List<String> commands = new ArrayList<>();
        if (state.filter(s -> s == ServerAdminState.READY).isPresent()) {
            weightCommand.ifPresent(commands::add);
            stateCommand.ifPresent(commands::add);
        } else {
            stateCommand.ifPresent(commands::add);
            weightCommand.ifPresent(commands::add);
        }
        for (String command : commands) {
            try {
                server.lb().change(command);
            } catch (IOException e) {
                throw new ActionFailedException("setting " + server.label() + " failed: " + e.getMessage(), List.of(), e);
            }
        }
        ServerState now;
        try {
            now = server.state();
        } catch (IOException e) {
            throw new ActionFailedException("cannot read " + server.label() + " back after changing it: " + e.getMessage(), List.of(), e);
        }
        boolean stateTook = state.map(s -> s == now.admin()).orElse(true);
        boolean weightTook = weight.map(w -> w == now.weight()).orElse(true);
        if (!stateTook || !weightTook) {
            throw new ActionFailedException("HAProxy accepted " + commands + " but 'show servers state " + server.lb().backend()
                    + "' reports " + server.label() + " " + now.detail());
        }
    }

    /**
     * Waits until HAProxy's {@code show stat} reports no current session on the server, up to
     * {@code wait} or the step's deadline, whichever comes first; the server stays in the state the
     * step set either way, since undoing it would send new connections back to a server the
     * operator wants empty.
     */
    private static void waitForSessionsToEnd(ActionContext context, Server server, Duration wait, ServerAdminState state)
            throws InterruptedException {
        Instant start = context.clock().instant();
        Instant until = start.plus(wait).isBefore(context.deadline()) ? start.plus(wait) : context.deadline();
        Instant nextLog = start;
        ServerStats stats = sessions(server);
        while (stats.sessions() > 0) {
            Instant now = context.clock().instant();
            if (!now.isBefore(until)) {
                throw new ActionFailedException(server.label() + " still has " + stats.sessions() + " current session"
                        + (stats.sessions() == 1 ? "" : "s") + " after " + Duration.between(start, now).withNanos(0)
                        + " (wait-sessions " + wait + "); HAProxy's show stat reports it " + stats.status() + ", scur "
                        + stats.sessions() + "; " + server.path() + " stays in " + state.keyword());
            }
            if (!now.isBefore(nextLog)) {
                context.log().accept("waiting up to " + Duration.between(now, until).withNanos(0) + " for the " + stats.sessions()
                        + " current session" + (stats.sessions() == 1 ? "" : "s") + " of " + server.label() + " to end");
                nextLog = now.plus(SESSION_LOG);
            }
            Thread.sleep(Math.max(1, Math.min(SESSION_POLL.toMillis(), Duration.between(now, until).toMillis())));
            stats = sessions(server);
        }
    }

    private static ServerStats sessions(Server server) {
        try {
            return server.stats();
        } catch (IOException e) {
            throw new ActionFailedException("cannot read the sessions of " + server.label() + ": " + e.getMessage(), List.of(), e);
        }
    }
}
