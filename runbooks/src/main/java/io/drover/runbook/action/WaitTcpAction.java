package io.drover.runbook.action;

import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.Default;
import io.drover.core.spi.action.Action;
import io.drover.core.spi.action.ActionCapability;
import io.drover.core.spi.action.ActionContext;
import io.drover.core.spi.action.ActionFactory;
import io.drover.core.spi.action.ActionOutputs;
import io.drover.core.spi.action.ActionPlan;
import io.drover.core.spi.action.CheckOutcome;
import io.drover.core.spi.action.Precondition;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code action: wait-tcp}: waits until a TCP port accepts connections. */
public final class WaitTcpAction implements Action {
    private final Config config;

    WaitTcpAction(Config config) {
        this.config = config;
    }

    /**
     * The {@code with:} of a wait-tcp step.
     *
     * @param timeout  how long to wait (the step's timeout still applies)
     * @param interval pause between attempts
     */
    public record Config(String host, int port, @Default("60s") Duration timeout, @Default("1s") Duration interval,
                         @Default("2s") Duration connectTimeout) {
    }

    /** Finds {@code action: wait-tcp}. */
    public static final class Factory implements ActionFactory<Config> {
        @Override
        public String type() {
            return "wait-tcp";
        }

        @Override
        public Class<Config> configType() {
            return Config.class;
        }

        @Override
        public String description() {
            return "wait until a TCP port accepts connections";
        }

        @Override
        public List<ConfigProblem> validate(Config config) {
            return config.port() < 1 || config.port() > 65535
                    ? List.of(new ConfigProblem("port", "port must be between 1 and 65535, got " + config.port()))
                    : List.of();
        }

        @Override
        public Action create(Config config) {
            return new WaitTcpAction(config);
        }
    }

    private String target() {
        return config.host() + ":" + config.port();
    }

    @Override
    public Set<ActionCapability> capabilities() {
        return EnumSet.of(ActionCapability.CHECK);
    }

    private Waits.Probe probe() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(config.host(), config.port()), (int) config.connectTimeout().toMillis());
            return new Waits.Probe(true, "connected");
        } catch (IOException e) {
            return new Waits.Probe(false, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    @Override
    public ActionPlan plan(ActionContext context) {
        // Whether it is up now is information, not a requirement: earlier steps may start it.
        Waits.Probe now = probe();
        return ActionPlan.of("wait up to " + config.timeout().toSeconds() + "s for " + target() + " to accept connections",
                Precondition.passed(target() + " accepts connections now", now.ok() ? "yes" : "not yet: " + now.detail()));
    }

    @Override
    public CheckOutcome check(ActionContext context) {
        Waits.Probe now = probe();
        return now.ok() ? CheckOutcome.done(target() + " accepts connections") : CheckOutcome.notDone(now.detail());
    }

    @Override
    public ActionOutputs run(ActionContext context) throws InterruptedException {
        long start = System.nanoTime();
        Waits.until(context, config.timeout(), config.interval(), target(), this::probe);
        return ActionOutputs.of(Map.of("waited-ms", Long.toString((System.nanoTime() - start) / 1_000_000)));
    }
}
