package io.drover.connector.nginx;

import io.drover.connector.nginx.NginxProcesses.Child;
import io.drover.connector.nginx.NginxProcesses.Master;
import io.drover.connector.nginx.UpstreamInclude.Server;
import io.drover.connector.nginx.UpstreamInclude.Snapshot;
import io.drover.connector.support.HumanDuration;
import io.drover.core.spi.TrafficState;
import io.drover.core.spi.TrafficSwitch;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Routes an nginx upstream's traffic to one server by rewriting the file its upstream block includes.
 *
 * <p>{@link #routeTo} writes the include atomically with the target's {@code server} line and every
 * other server marked {@code down}, runs {@code nginx -t} (putting the previous include back,
 * byte for byte, when nginx refuses), then {@code nginx -s reload}. nginx reloads asynchronously:
 * the master starts a new generation of workers with the new config and tells the old ones to finish
 * their requests and exit. routeTo notes the master's children before the reload and returns only
 * when none of them is left and new ones run, so no request is proxied with the old upstream any
 * more; it fails after {@code timeout} saying which it was (no new workers: nginx could not apply
 * the config; old workers still there: long requests, bounded by nginx's {@code worker_shutdown_timeout}).
 * An include that already says the target is not rewritten and nginx is not reloaded, unless it
 * has not loaded that include yet.
 *
 * <p>{@link #state} reports the include's servers (not {@code down} or {@code backup}: active) only
 * when the running nginx has loaded it: the pid file must name a live nginx master, and every child
 * of that master must have been started after the include was last written (nginx forks its
 * children after loading its config; see {@link NginxProcesses} for how the times are compared).
 * Otherwise it fails saying so: while a reload is pending, failed, or old workers still finish
 * requests, the file does not say what nginx does. Where the pid file is comes from {@code nginx -T}
 * once per switch. Linux only ({@code /proc}). Messages hold addresses and member names, never the
 * rest of nginx's config.
 */
final class NginxSwitch implements TrafficSwitch {
    private static final Duration POLL = Duration.ofMillis(20);

    private final NginxConfig config;
    private final Clock clock;
    private final NginxProgram nginx;
    private Path pidFile;

    NginxSwitch(NginxConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.nginx = new NginxProgram(config.nginx(), config.config(), config.timeout());
    }

    @Override
    public String describe() {
        return "nginx upstream " + config.upstream() + " (" + config.include() + ")";
    }

    @Override
    public Map<String, String> targets() {
        return config.servers();
    }

    private IOException failure(String message, Exception cause) {
        return new IOException(describe() + ": " + message, cause);
    }

    /** The running master, found through the pid file that nginx's config names. */
    private Master master() throws IOException {
        try {
            if (pidFile == null) {
                pidFile = nginx.pidFile();
            }
            return NginxProcesses.master(pidFile);
        } catch (IOException e) {
            throw failure(e.getMessage(), e);
        }
    }

    /** Why nginx has not loaded the include as it is now, or empty when it has. */
    private Optional<String> notLoaded(Master master) throws IOException {
        List<Child> children = master.children();
        if (children.isEmpty()) {
            return Optional.of("the nginx master " + master.pid() + " has no worker processes");
        }
        Child oldest = children.getFirst();
        long modified = NginxProcesses.modifiedTicks(config.include());
        // Strictly after: a start and a write in the same tick cannot be ordered, so they do not count as loaded.
        if (oldest.startTicks() > modified) {
            return Optional.empty();
        }
        return Optional.of("nginx has not loaded the include: it was written at " + NginxProcesses.wallClock(modified)
                + ", but nginx process " + oldest.pid() + " (a child of master " + master.pid() + ") has run since "
                + NginxProcesses.wallClock(oldest.startTicks())
                + " with the config loaded before; a reload is pending, failed (see nginx's error log), or old workers are"
                + " still finishing requests");
    }

    @Override
    public synchronized TrafficState state() throws IOException {
        Master master = master();
        if (!Files.exists(config.include())) {
            throw failure("the include does not exist; routing traffic once writes it", null);
        }
        Optional<String> notLoaded = notLoaded(master);
        if (notLoaded.isPresent()) {
            throw failure(notLoaded.get(), null);
        }
        List<Server> servers = UpstreamInclude.parse(Files.readString(config.include(), StandardCharsets.UTF_8));
        Map<String, Server> byAddress = UpstreamInclude.byAddress(servers);
        List<String> unknownActive = servers.stream().filter(Server::active).map(Server::address)
                .filter(address -> !config.servers().containsValue(address)).toList();
        // Traffic that goes to a server no member names is still traffic: every detail says so.
        String elsewhere = unknownActive.isEmpty() ? "" : "; the include also sends traffic to " + String.join(", ", unknownActive);
        List<String> active = new ArrayList<>();
        Map<String, String> details = new LinkedHashMap<>();
        config.servers().forEach((member, address) -> {
            Server server = byAddress.get(address);
            if (server != null && server.active()) {
                active.add(member);
            }
            details.put(member, address + ": " + (server == null ? "not in the include" : server.mode()) + elsewhere);
        });
        return new TrafficState(active, details);
    }

    @Override
    public synchronized void routeTo(String target) throws IOException {
        if (!config.servers().containsKey(target)) {
            throw new IOException(describe() + " has no target '" + target + "'; its targets: "
                    + String.join(", ", config.servers().keySet()));
        }
        Master master = master(); // running, before anything changes
        Optional<Snapshot> previous = UpstreamInclude.read(config.include());
        String wanted = UpstreamInclude.render(config.upstream(), config.servers(), target, clock.instant());
        boolean rewrite = previous.map(p -> !p.servers().equals(UpstreamInclude.parse(wanted))).orElse(true);
        if (rewrite) {
            UpstreamInclude.writeAtomically(config.include(), wanted.getBytes(StandardCharsets.UTF_8), Optional.empty());
        }
        if (rewrite || notLoaded(master).isPresent()) {
            testOrRestore(target, rewrite, previous);
            reload(master);
        }
        TrafficState now = state();
        if (!now.active().equals(List.of(target))) {
            throw failure("after routing to " + target + " the targets taking traffic are " + now.active() + " (" + now.details()
                    + ")", null);
        }
    }

    /** {@code nginx -t}; when it refuses and this call wrote the include, the previous include is put back first. */
    private void testOrRestore(String target, boolean wrote, Optional<Snapshot> previous) throws IOException {
        try {
            nginx.test();
        } catch (IOException refused) {
            if (!wrote) {
                throw failure("nginx's config does not pass nginx -t, so nginx was not reloaded: " + refused.getMessage(), refused);
            }
            IOException failure = failure("nginx -t refused the config with the include routing to " + target
                    + "; the previous include is back in place and nginx was not reloaded: " + refused.getMessage(), refused);
            try {
                UpstreamInclude.restore(config.include(), previous);
            } catch (IOException restoreFailed) {
                failure.addSuppressed(restoreFailed);
            }
            throw failure;
        }
    }

    /** {@code nginx -s reload}, then waits until only children started by the reload are left. */
    private void reload(Master master) throws IOException {
        // Leave the include's write and the new workers' start clearly apart, so the check that nginx
        // loaded the include (which compares times truncated to 10 ms) can order them.
        Instant orderable = Files.getLastModifiedTime(config.include()).toInstant().plus(NginxProcesses.TICK_GAP);
        pause(Duration.between(Instant.now(), orderable));
        Set<Long> before = Child.pids(master.children());
        try {
            nginx.reload();
        } catch (IOException e) {
            throw failure(e.getMessage(), e);
        }
        long deadline = System.nanoTime() + config.timeout().toNanos();
        while (true) {
            if (!master.alive()) {
                throw failure("the nginx master " + master.pid() + " exited during the reload", null);
            }
            List<Child> children = master.children();
            List<Long> old = children.stream().map(Child::pid).filter(before::contains).toList();
            boolean started = children.size() > old.size();
            if (old.isEmpty() && started) {
                return;
            }
            if (System.nanoTime() > deadline) {
                String wait = HumanDuration.format(config.timeout());
                throw failure(started
                        ? "nginx's old processes " + old + " still run " + wait + " after nginx -s reload, finishing requests"
                                + " with the previous upstream; nginx's worker_shutdown_timeout bounds how long they may"
                        : "nginx started no new workers within " + wait + " after nginx -s reload, so it did not apply the"
                                + " new config (nginx keeps the old one when the new one fails to load; see its error log)", null);
            }
            pause(POLL);
        }
    }

    private void pause(Duration duration) throws InterruptedIOException {
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(describe() + ": interrupted while switching traffic");
        }
    }
}
