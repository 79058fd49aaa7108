package io.drover.core.config;

import io.drover.core.spi.Default;
import java.time.Duration;

/**
 * Top-level {@code serve:}: the daemon.
 *
 * @param listen        address of /metrics and /health, {@code HOST:PORT}; loopback by default
 * @param threads       jobs run at once on this node
 * @param shutdownGrace on SIGTERM, how long running jobs may take to finish before they are marked interrupted
 * @param logFormat     {@code text} or {@code json} (one JSON object per line, with job and run ids)
 */
public record ServeConfig(@Default("127.0.0.1:9464") String listen, @Default("4") int threads,
                          @Default("5m") Duration shutdownGrace, @Default("text") String logFormat) {
    public static ServeConfig defaults() {
        return new ServeConfig("127.0.0.1:9464", 4, Duration.ofMinutes(5), "text");
    }
}
