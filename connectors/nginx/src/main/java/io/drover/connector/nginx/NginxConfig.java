package io.drover.connector.nginx;

import io.drover.core.spi.Default;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Config of an {@code nginx} traffic switch under {@code traffic:}.
 *
 * <pre>
 * traffic:
 *   orders-web:
 *     type: nginx
 *     upstream: orders_backend
 *     include: /etc/nginx/drover/orders_backend.conf
 *     servers: { dc1: "10.0.0.1:8080", dr1: "10.0.1.1:8080" }
 * </pre>
 * with {@code upstream orders_backend { include /etc/nginx/drover/orders_backend.conf; }} in nginx's config.
 *
 * @param upstream the name of the upstream block, for messages and the include's header
 * @param include  the file the upstream block includes; drover owns it and rewrites it whole
 * @param servers  member name (as under {@code databases:}) → server address {@code host:port}
 * @param nginx    the nginx binary that runs {@code -t}, {@code -T}, {@code -V} and {@code -s reload}
 * @param config   nginx's main config file, passed as {@code -c}; absent: nginx's compiled-in default
 * @param timeout  how long each nginx command may take, and how long routeTo waits for the reload
 *                 to take effect (the old workers to finish their requests and exit)
 */
public record NginxConfig(String upstream, Path include, Map<String, String> servers, @Default("/usr/sbin/nginx") Path nginx,
                          Optional<Path> config, @Default("10s") Duration timeout) {
    public NginxConfig {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(include, "include");
        Objects.requireNonNull(servers, "servers");
        Objects.requireNonNull(nginx, "nginx");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(timeout, "timeout");
        servers = Collections.unmodifiableMap(new LinkedHashMap<>(servers));
    }
}
