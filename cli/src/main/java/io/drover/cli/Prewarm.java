package io.drover.cli;

import io.drover.core.app.DroverRuntime;
import io.drover.core.config.ConfigLoader;
import io.drover.core.config.DroverConfig;
import io.drover.core.connector.ConnectorRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Function;

/**
 * Loads the config and opens the embedded catalog on a thread of its own while picocli builds the
 * command line, for the commands that always need both. Picocli's model building (its classes
 * cannot go into the start-up cache) and the catalog's start (H2 with its auto-server and schema)
 * took about 130 ms each, one after the other, at the start of every such command; a no-change
 * backup takes little more than a second in all.
 *
 * <p>The command takes what was prepared only if it was prepared for the config file the command
 * line finally names ({@code -c} may also follow the command); anything not taken is closed.
 * A catalog in PostgreSQL is not opened ahead: an unreachable server would make a failing command
 * wait for its timeout twice.
 */
final class Prewarm implements AutoCloseable {
    /** Top-level commands that load the config and open the catalog whatever their arguments. */
    static final Set<String> COMMANDS = Set.of("backup", "restore", "verify", "prune", "status");

    /** A loaded config and a runtime for it, its embedded catalog open. */
    record Prepared(ConnectorRegistry registry, DroverConfig config, DroverRuntime runtime) {
    }

    private final Path configPath;
    private final FutureTask<Prepared> task;
    private boolean taken;

    private Prewarm(Path configPath, Function<String, String> env) {
        this.configPath = configPath;
        this.task = new FutureTask<>(() -> {
            ConnectorRegistry registry = ConnectorRegistry.discover();
            DroverConfig config = new ConfigLoader(registry, env).load(configPath);
            DroverRuntime runtime = new DroverRuntime(config, registry, Clock.systemUTC(), env);
            if (config.catalog().flatMap(c -> c.url()).isEmpty()) {
                try {
                    runtime.catalog();
                } catch (RuntimeException e) {
                    // The command opens it again and reports what goes wrong.
                }
            }
            return new Prepared(registry, config, runtime);
        });
        Thread.ofPlatform().name("drover-prewarm").daemon().start(task);
    }

    /** Starts preparing for {@code command} when it is one of {@link #COMMANDS}. */
    static Optional<Prewarm> start(Optional<String> command, Path configPath, Function<String, String> env) {
        return command.filter(COMMANDS::contains).map(c -> new Prewarm(configPath, env));
    }

    /**
     * What was prepared, if it was prepared for {@code path}; the caller owns the runtime from here.
     * A problem with the config (or a bug) is rethrown as loading it in the caller would have thrown it.
     */
    synchronized Optional<Prepared> take(Path path) {
        if (taken) {
            return Optional.empty();
        }
        if (!path.equals(configPath)) {
            close();
            return Optional.empty();
        }
        taken = true;
        return Optional.of(await());
    }

    /** Closes what no command took (the command failed before it needed it). */
    @Override
    public synchronized void close() {
        if (taken) {
            return;
        }
        taken = true;
        try {
            await().runtime().close();
        } catch (RuntimeException e) {
            // nothing was prepared
        }
    }

    private Prepared await() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw new IllegalStateException(e.getCause());
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
