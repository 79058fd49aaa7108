package io.drover.core.alert;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on loopback that records what webhooks POST to it, and can answer with an
 * error status for the next few requests.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One request as received. */
    public record Received(String path, Map<String, List<String>> headers, String body, java.time.Instant receivedAt) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile int failStatus = 503;

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    byte[] answer = "try again later".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(failStatus, answer.length);
                    exchange.getResponseBody().write(answer);
                    return;
                }
                received.add(new Received(exchange.getRequestURI().getPath(), exchange.getRequestHeaders(), body,
                        java.time.Instant.now()));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.start();
    }

    /** The URL of {@code path} on this server. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Answers the next {@code count} requests with {@code status} instead of accepting them. */
    public void failNext(int count, int status) {
        failStatus = status;
        failNext.set(count);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
