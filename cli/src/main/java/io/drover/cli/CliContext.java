package io.drover.cli;

import io.drover.core.app.DroverRuntime;
import io.drover.core.config.ConfigLoader;
import io.drover.core.config.DroverConfig;
import io.drover.core.connector.ConnectorRegistry;
import io.drover.core.repository.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.SerializationFeature;

/** What a command needs from its surroundings: options, output streams, the loaded config and runtime. */
final class CliContext implements AutoCloseable {
    private final GlobalOptions global;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Function<String, String> env;
    private final Optional<Prewarm> prewarm;
    private ConnectorRegistry registry;
    private DroverConfig config;
    private DroverRuntime runtime;

    private CliContext(GlobalOptions global, PrintWriter out, PrintWriter err, Function<String, String> env,
                       Optional<Prewarm> prewarm) {
        this.global = global;
        this.out = out;
        this.err = err;
        this.env = env;
        this.prewarm = prewarm;
    }

    static CliContext of(CommandSpec spec) {
        DroverCli root = (DroverCli) spec.root().userObject();
        return new CliContext(root.global, spec.commandLine().getOut(), spec.commandLine().getErr(), System::getenv, root.prewarm());
    }

    GlobalOptions global() {
        return global;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    boolean json() {
        return global.output == GlobalOptions.OutputFormat.json;
    }

    /** Progress bars only for a person at a terminal. */
    boolean showProgress() {
        return !global.quiet && !json() && isTerminal();
    }

    /** Java 22+ has Console.isTerminal(); on 21 a console exists only for a terminal. */
    static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    Path configPath() {
        return ConfigLoader.locate(Optional.ofNullable(global.config), env, Path.of("").toAbsolutePath());
    }

    /** Connector discovery scans the class path: once per command, not once per use. */
    private ConnectorRegistry registry() {
        if (registry == null) {
            registry = ConnectorRegistry.discover();
        }
        return registry;
    }

    DroverConfig config() {
        if (config == null) {
            Optional<Prewarm.Prepared> prepared = prewarm.flatMap(p -> p.take(configPath()));
            if (prepared.isPresent()) {
                registry = prepared.get().registry();
                config = prepared.get().config();
                runtime = prepared.get().runtime();
            } else {
                config = new ConfigLoader(registry(), env).load(configPath());
            }
        }
        return config;
    }

    DroverRuntime runtime() {
        DroverConfig loaded = config(); // takes the prepared runtime, if there is one
        if (runtime == null) {
            runtime = new DroverRuntime(loaded, registry(), Clock.systemUTC(), env);
        }
        return runtime;
    }

    /** The operator, for the audit log. */
    String actor() {
        return System.getProperty("user.name", "unknown");
    }

    /** Records an operator's change in the audit log. */
    void catalogAudit(String action, String subject) {
        runtime().catalog().audit(actor(), action, subject, "", runtime().clock().instant());
    }

    void printJson(Object value) {
        out.println(Json.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value));
        out.flush();
    }

    /** A line for people; suppressed by --quiet and in JSON mode. */
    void info(String line) {
        if (!global.quiet && !json()) {
            out.println(line);
            out.flush();
        }
    }

    @Override
    public void close() {
        if (runtime != null) {
            runtime.close();
        }
    }
}
