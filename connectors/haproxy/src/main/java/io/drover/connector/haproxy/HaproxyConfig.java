package io.drover.connector.haproxy;

import io.drover.core.spi.Default;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Config of a {@code haproxy} traffic switch under {@code traffic:}.
 *
 * <pre>
 * traffic:
 *   orders-lb: { type: haproxy, socket: /run/haproxy/admin.sock, backend: pg_rw,
 *                servers: { dc1: pg1, dr1: pg2 }, timeout: 5s }
 * </pre>
 *
 * @param socket  HAProxy's Runtime API socket, an absolute path; it needs {@code level admin}
 * @param backend the backend whose servers are switched
 * @param servers member name (as under {@code databases:}) → server name in the backend
 * @param timeout how long one Runtime API command may take, connecting included; also how long
 *                routeTo waits for the target to take traffic (health checks) after the commands
 */
public record HaproxyConfig(Path socket, String backend, Map<String, String> servers, @Default("5s") Duration timeout) {
    public HaproxyConfig {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(servers, "servers");
        Objects.requireNonNull(timeout, "timeout");
        servers = Collections.unmodifiableMap(new LinkedHashMap<>(servers));
    }
}
