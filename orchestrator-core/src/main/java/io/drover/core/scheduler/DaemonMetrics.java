package io.drover.core.scheduler;

import io.drover.core.model.RpoState;
import io.drover.core.rpo.ServiceStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The daemon's metrics in Prometheus format: per service achieved RPO, target and state; per job
 * last success, durations, bytes and failures; the scheduler's heartbeat and clock skew.
 */
public final class DaemonMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Holder> gauges = new ConcurrentHashMap<>();

    /** A value a gauge reads; NaN means "no value" (Prometheus shows NaN). */
    private static final class Holder {
        volatile double value = Double.NaN;
    }

    public DaemonMetrics() {
        gauge("drover.scheduler.heartbeat", "seconds", "Time of the scheduler's last heartbeat (Unix seconds)",
                Map.of());
        gauge("drover.scheduler.clock.skew", "seconds", "This node's clock minus the catalog database's clock", Map.of());
    }

    public void serviceEvaluated(ServiceStatus status) {
        Map<String, String> tags = Map.of("service", status.service(), "tier", Integer.toString(status.tier()));
        set("drover.service.rpo.achieved", "seconds", "Age of the newest usable recovery point", tags,
                status.achieved().map(d -> d.toMillis() / 1000.0).orElse(Double.NaN));
        set("drover.service.rpo.target", "seconds", "RPO target from the BIA", tags,
                status.rpoTarget().map(d -> (double) d.toSeconds()).orElse(Double.NaN));
        for (RpoState state : RpoState.values()) {
            set("drover.service.rpo.state", null, "1 for the service's current RPO state, else 0",
                    Map.of("service", status.service(), "state", state.name()), status.state() == state ? 1 : 0);
        }
    }

    public void jobFinished(ScheduledJob job, Duration took, boolean succeeded, long bytes) {
        String[] tags = {"job", job.key(), "kind", job.kind().id()};
        Timer.builder("drover.job.duration").description("Duration of scheduled job runs")
                .tags(tags).tag("outcome", succeeded ? "success" : "failure").register(registry).record(took);
        Counter.builder("drover.job.bytes").baseUnit("bytes").description("Bytes read by scheduled job runs")
                .tags(tags).register(registry).increment(bytes);
        Counter failures = Counter.builder("drover.job.failures").description("Failed scheduled job runs")
                .tags(tags).register(registry);
        if (!succeeded) {
            failures.increment();
        }
    }

    /** When each job key last succeeded (from the catalog, so every node shows the whole cluster's view). */
    public void lastSuccess(Map<String, Instant> lastSuccess) {
        lastSuccess.forEach((key, at) -> set("drover.job.last.success", "seconds",
                "Time of the job's last successful run (Unix seconds)", Map.of("job", key), at.toEpochMilli() / 1000.0));
    }

    public void heartbeat(Instant at, long clockSkewMillis) {
        set("drover.scheduler.heartbeat", "seconds", null, Map.of(), at.toEpochMilli() / 1000.0);
        set("drover.scheduler.clock.skew", "seconds", null, Map.of(), clockSkewMillis / 1000.0);
    }

    public String scrape() {
        return registry.scrape();
    }

    private void set(String name, String unit, String description, Map<String, String> tags, double value) {
        gauge(name, unit, description, tags).value = value;
    }

    private Holder gauge(String name, String unit, String description, Map<String, String> tags) {
        String id = name + new java.util.TreeMap<>(tags);
        return gauges.computeIfAbsent(id, k -> {
            Holder holder = new Holder();
            Gauge.Builder<Holder> builder = Gauge.builder(name, holder, h -> h.value).strongReference(true);
            tags.forEach(builder::tag);
            if (unit != null) {
                builder.baseUnit(unit);
            }
            if (description != null) {
                builder.description(description);
            }
            builder.register(registry);
            return holder;
        });
    }
}
