package io.drover.connector.haproxy;

import io.drover.core.spi.TrafficState;
import io.drover.core.spi.TrafficSwitch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Routes a HAProxy backend's traffic to one server.
 *
 * <p>{@link #routeTo} first sets the target {@code READY}, then every other server {@code MAINT} and
 * shuts down the sessions still open to it, then reads the state back. It does not use {@code DRAIN}:
 * a drained server keeps its established (often pooled, long-lived) connections, and for a database
 * primary no client may go on writing to the old one once traffic has moved. Making the target ready
 * first means that the backend is never without a server; the runbook fences the old primary before
 * it switches traffic, so the short overlap cannot take writes. Weights are the operator's and are
 * not changed: a server with weight 0, or one its health check marks down (HAProxy also reports a
 * server in maintenance as down), does not count as taking traffic. After the commands, {@code routeTo}
 * reads the state until exactly the target takes traffic, up to {@code timeout} (a server leaving
 * maintenance waits for its health checks), and fails naming what it found.
 */
final class HaproxySwitch implements TrafficSwitch {
    private final HaproxyConfig config;
    private final RuntimeApi api;

    HaproxySwitch(HaproxyConfig config) {
        this.config = config;
        this.api = new RuntimeApi(config.socket(), config.timeout());
    }

    @Override
    public String describe() {
        return "haproxy backend " + config.backend() + " via " + config.socket();
    }

    @Override
    public Map<String, String> targets() {
        return config.servers();
    }

    private String execute(String command) throws IOException {
        try {
            return api.execute(command);
        } catch (IOException e) {
            throw new IOException(describe() + ": '" + command + "' failed: " + e.getMessage(), e);
        }
    }

    /** Runs a {@code set}/{@code shutdown} command, which answers nothing when it worked. */
    void change(String command) throws IOException {
        String answer = execute(command);
        if (!answer.isBlank()) {
            throw new IOException(describe() + ": HAProxy refused '" + command + "': " + ServerState.firstLine(answer));
        }
    }

    /** The backend whose servers this switch changes. */
    String backend() {
        return config.backend();
    }

    /** Every server of the backend by name, as {@code show servers state} reports it. */
    Map<String, ServerState> backendServers() throws IOException {
        String command = "show servers state " + config.backend();
        try {
            return ServerState.parse(config.backend(), execute(command));
        } catch (IOException e) {
            throw e.getMessage().startsWith(describe()) ? e : new IOException(describe() + ": " + e.getMessage(), e);
        }
    }

    /** One server of the backend; fails naming the backend's servers when there is none of that name. */
    ServerState server(String name) throws IOException {
        Map<String, ServerState> all = backendServers();
        ServerState server = all.get(name);
        if (server == null) {
            throw new IOException(describe() + ": backend " + config.backend() + " has no server " + name + "; its servers: "
                    + all.keySet());
        }
        return server;
    }

    /** One server's line of {@code show stat}: what HAProxy shows as its status, its current sessions and weight. */
    ServerStats stats(String name) throws IOException {
        try {
            return ServerStats.parse(config.backend(), name, execute(ServerStats.command(config.backend())));
        } catch (IOException e) {
            throw e.getMessage().startsWith(describe()) ? e : new IOException(describe() + ": " + e.getMessage(), e);
        }
    }

    private Map<String, ServerState> servers() throws IOException {
        Map<String, ServerState> all = backendServers();
        List<String> missing = config.servers().values().stream().filter(s -> !all.containsKey(s)).toList();
        if (!missing.isEmpty()) {
            throw new IOException(describe() + ": backend " + config.backend() + " has no server " + String.join(", ", missing)
                    + "; its servers: " + all.keySet());
        }
        return all;
    }

    @Override
    public TrafficState state() throws IOException {
        Map<String, ServerState> servers = servers();
        List<String> active = new ArrayList<>();
        Map<String, String> details = new LinkedHashMap<>();
        config.servers().forEach((target, server) -> {
            ServerState state = servers.get(server);
            if (state.takesTraffic()) {
                active.add(target);
            }
            details.put(target, server + ": " + state.detail());
        });
        return new TrafficState(active, details);
    }

    @Override
    public void routeTo(String target) throws IOException {
        String server = config.servers().get(target);
        if (server == null) {
            throw new IOException(describe() + " has no target '" + target + "'; its targets: "
                    + String.join(", ", config.servers().keySet()));
        }
        // reachable, and every configured server exists, before anything changes
        ServerState targetState = servers().get(server);
        if (targetState != null && targetState.configMaint()) {
            throw new IOException(describe() + ": server " + server + " (" + target + ") is disabled in haproxy's"
                    + " configuration ('disabled' on its server line), which the Runtime API cannot undo: remove"
                    + " 'disabled' and reload haproxy (leave servers enabled in the file; drover puts them in maintenance)");
        }
        String backend = config.backend();
        change("set server " + backend + "/" + server + " state ready");
        for (String other : config.servers().values()) {
            if (!other.equals(server)) {
                change("set server " + backend + "/" + other + " state maint");
                change("shutdown sessions server " + backend + "/" + other);
            }
        }
        // A server leaving maintenance with health checks is not up until its checks pass: wait for
        // that, up to the timeout, before declaring the switch done or failed.
        long deadline = System.nanoTime() + config.timeout().toNanos();
        TrafficState now = state();
        while (!now.active().equals(List.of(target)) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException(describe() + ": interrupted waiting for " + target + " to take traffic");
            }
            now = state();
        }
        if (!now.active().equals(List.of(target))) {
            throw new IOException(describe() + ": after routing to " + target + " the servers taking traffic are " + now.active()
                    + " (" + now.details() + ")");
        }
    }
}
