package io.drover.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import io.drover.core.app.DroverRuntime;
import io.drover.core.catalog.ScheduledRunRecord;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.scheduler.DaemonHttpServer;
import io.drover.core.scheduler.DaemonMetrics;
import io.drover.core.scheduler.DroverScheduler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code drover serve}: the daemon. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the scheduler: backups, verifications, prune and RPO evaluation on their schedules,",
            "with /metrics and /health over HTTP. Stops gracefully on SIGTERM or Ctrl-C: running jobs get",
            "serve.shutdown-grace to finish, anything still running is recorded as interrupted."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Address of /metrics and /health (default: serve.listen, 127.0.0.1:9464).")
    String listen;

    @Option(names = "--node-id", paramLabel = "NAME",
            description = "This node's name, stable across restarts and unique in a cluster (default: the host name).")
    String nodeId;

    @Option(names = "--run-for", paramLabel = "DURATION",
            description = "Stop gracefully after this long, e.g. 10m (soak tests, drills); default: until stopped.")
    String runFor;

    @Option(names = "--log-format", paramLabel = "FORMAT",
            description = "text or json (one JSON object per line, with job, run and node ids); default: serve.log-format.")
    String logFormat;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private DroverScheduler scheduler;
    private DaemonHttpServer http;
    private boolean stopping;
    private volatile int exitCode;

    @Override
    public Integer call() throws Exception {
        try (CliContext ctx = CliContext.of(spec)) {
            var serve = ctx.config().serve();
            configureLogging(logFormat != null ? logFormat : serve.logFormat());
            Duration limit = runFor == null ? null : parseDuration(runFor);
            InetSocketAddress address = address(listen != null ? listen : serve.listen());
            String node = nodeId != null ? nodeId : hostName();
            DroverRuntime runtime = ctx.runtime();
            DaemonMetrics metrics = new DaemonMetrics();
            scheduler = new DroverScheduler(runtime, node, metrics);
            List<ScheduledRunRecord> interrupted;
            try {
                interrupted = scheduler.start();
            } catch (RuntimeException e) {
                scheduler.close();
                throw e;
            }
            for (ScheduledRunRecord run : interrupted) {
                ctx.err().printf("warning: run %d of %s (started %s) was interrupted when drover serve last stopped%n",
                        run.id(), run.jobKey(), BackupListCommand.TIME.format(run.startedAt()));
                runtime.rpoMonitor().jobFailed(run.jobKey(), run.jobKind(), run.id(),
                        "interrupted: drover serve on " + node + " stopped before the run finished");
            }
            try {
                http = new DaemonHttpServer(address, runtime, scheduler, metrics);
            } catch (IOException e) {
                scheduler.shutdown(Duration.ZERO);
                scheduler.close();
                throw new DroverException(DroverErrors.CONFIG_INVALID, "cannot listen on " + address + ": " + e.getMessage(),
                        "choose another address with --listen or serve.listen (another drover serve may use this one)",
                        List.of(), e);
            }
            ctx.out().printf("drover serve on %s: %s, metrics and health on http://%s:%d%n", node,
                    scheduler.clustered() ? "clustered" : "single node", http.address().getHostString(),
                    http.address().getPort());
            ctx.out().flush();
            Thread hook = new Thread(() -> stop(serve.shutdownGrace(), runtime), "drover-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            handleSignals(serve.shutdownGrace(), runtime);
            boolean timedOut = limit != null && !stopped.await(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (limit == null) {
                stopped.await();
            }
            if (timedOut) {
                stop(serve.shutdownGrace(), runtime);
                Runtime.getRuntime().removeShutdownHook(hook);
                ctx.out().println("drover serve on " + node + " stopped after " + runFor);
            }
            return exitCode;
        }
    }

    /**
     * SIGTERM and SIGINT stop the daemon before the JVM's shutdown starts: shutdown hooks run in no
     * particular order, and the embedded catalog's own hook would close the database while the
     * daemon still records which runs were interrupted. The shutdown hook stays as a fallback.
     */
    private void handleSignals(Duration grace, DroverRuntime runtime) {
        for (String name : java.util.List.of("TERM", "INT")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> Thread.ofPlatform().name("drover-signal").start(() -> {
                    // The exit code a signal-terminated process has; call() returns it once stopped.
                    exitCode = 128 + signal.getNumber();
                    stop(grace, runtime);
                }));
            } catch (IllegalArgumentException e) {
                // The signal is not available on this platform or is in use by the JVM: the hook covers it.
            }
        }
    }

    /** Idempotent: the shutdown hook and --run-for may both call it. */
    private synchronized void stop(Duration grace, DroverRuntime runtime) {
        if (stopping) {
            return;
        }
        stopping = true;
        try {
            if (http != null) {
                http.close();
            }
            scheduler.shutdown(grace);
            scheduler.close();
            // On SIGTERM the JVM ends when the hooks do: close the catalog now, not after call() returns.
            runtime.close();
        } finally {
            stopped.countDown();
        }
    }

    private static Duration parseDuration(String text) {
        try {
            return io.drover.core.config.ConfigBinder.parseDuration(text);
        } catch (IllegalArgumentException e) {
            throw new DroverException(DroverErrors.CONFIG_INVALID, "--run-for " + text + " is not a duration",
                    "write it like 90s, 10m or 2h", List.of(), null);
        }
    }

    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        try {
            return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw new DroverException(DroverErrors.CONFIG_INVALID, "'" + hostPort + "' is not HOST:PORT",
                    "e.g. --listen 127.0.0.1:9464", List.of(), null);
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    /** The daemon's log is its output: drover's own lines at INFO, as text or JSON lines. */
    static void configureLogging(String format) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        if ("json".equals(format)) {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            context.reset();
            try {
                configurator.doConfigure(ServeCommand.class.getResource("/logback-json.xml"));
            } catch (JoranException e) {
                throw new IllegalStateException("cannot configure JSON logging", e);
            }
        }
        if (System.getenv("DROVER_LOG_LEVEL") == null) {
            context.getLogger("io.drover").setLevel(Level.INFO);
        }
    }
}
