package io.drover.core.scheduler;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.drover.core.app.DroverRuntime;
import io.drover.core.repository.Json;
import io.drover.core.repository.RepositoryLayout;
import io.drover.core.repository.StorageErrors;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code /metrics} (Prometheus text format) and {@code /health} (JSON; 200 when ready, 503 when
 * the catalog or a target cannot be reached), plus {@code /health/live} (200 while the process
 * serves). Health results are cached briefly so a scraper cannot hammer the storage targets.
 */
public final class DaemonHttpServer implements AutoCloseable {
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CACHE = Duration.ofSeconds(10);

    private final HttpServer server;
    private final DroverRuntime runtime;
    private final DroverScheduler scheduler;
    private final DaemonMetrics metrics;
    private final ExecutorService checks = Executors.newVirtualThreadPerTaskExecutor();
    private Instant cachedAt = Instant.EPOCH;
    private Map<String, Object> cached;

    public DaemonHttpServer(InetSocketAddress address, DroverRuntime runtime, DroverScheduler scheduler,
                            DaemonMetrics metrics) throws IOException {
        this.runtime = runtime;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.server = HttpServer.create(address, 16);
        server.createContext("/metrics", exchange -> respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
                metrics.scrape()));
        server.createContext("/health/live", exchange -> respond(exchange, 200, "application/json",
                "{\"status\":\"UP\",\"node\":" + Json.MAPPER.writeValueAsString(scheduler.node()) + "}"));
        server.createContext("/health", exchange -> {
            Map<String, Object> health = health();
            respond(exchange, "UP".equals(health.get("status")) ? 200 : 503, "application/json",
                    Json.MAPPER.writeValueAsString(health));
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private synchronized Map<String, Object> health() {
        Instant now = Instant.now();
        if (cached != null && now.isBefore(cachedAt.plus(CACHE))) {
            return cached;
        }
        Map<String, Object> catalog = check(() -> {
            runtime.catalog().databaseNow();
            return runtime.catalog().redactedUrl();
        });
        Map<String, Object> targets = new TreeMap<>();
        for (String target : runtime.config().targets().keySet()) {
            targets.put(target, check(() -> {
                if (runtime.target(target).stat(RepositoryLayout.INFO_KEY).isEmpty()) {
                    throw new IOException("no repository there (" + RepositoryLayout.INFO_KEY + " is missing): check that"
                            + " the target is mounted and reachable, or run 'drover init' for a new one");
                }
                return "repository reachable";
            }));
        }
        boolean ready = ok(catalog) && targets.values().stream().allMatch(t -> ok(cast(t)));
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("status", ready ? "UP" : "DOWN");
        health.put("node", scheduler.node());
        health.put("clustered", scheduler.clustered());
        health.put("clockSkewMillis", scheduler.clockSkewMillis());
        health.put("catalog", catalog);
        health.put("targets", targets);
        health.put("checkedAt", now.toString());
        cached = health;
        cachedAt = now;
        return health;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }

    private static boolean ok(Map<String, Object> check) {
        return Boolean.TRUE.equals(check.get("ok"));
    }

    /** Runs a check with a time limit; the answer says what failed, never a stack trace. */
    private Map<String, Object> check(java.util.concurrent.Callable<String> check) {
        Map<String, Object> result = new LinkedHashMap<>();
        Future<String> future = checks.submit(check);
        try {
            result.put("ok", true);
            result.put("detail", future.get(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            future.cancel(true);
            result.put("ok", false);
            result.put("detail", "no answer within " + CHECK_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            result.put("ok", false);
            Throwable cause = e.getCause();
            result.put("detail", cause instanceof IOException io ? StorageErrors.describe(io) : String.valueOf(cause.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.put("ok", false);
            result.put("detail", "interrupted");
        }
        return result;
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        checks.shutdownNow();
    }
}
