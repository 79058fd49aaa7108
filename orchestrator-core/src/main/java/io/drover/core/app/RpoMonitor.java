package io.drover.core.app;

import io.drover.core.alert.Alert;
import io.drover.core.alert.AlertDispatcher;
import io.drover.core.alert.Alerts;
import io.drover.core.catalog.RpoTransition;
import io.drover.core.config.DroverConfig;
import io.drover.core.config.ServiceConfig;
import io.drover.core.rpo.RpoEvaluator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates RPO states and raises alerts: on its schedule (the daemon's tick), at the end of every
 * job, and when a job fails. A failure here (catalog or channel) is logged and never turns a
 * successful backup into a failed one.
 */
public final class RpoMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(RpoMonitor.class);

    private final DroverConfig config;
    private final RpoEvaluator evaluator;
    private final AlertDispatcher alerts;
    private final java.time.Clock clock;
    private final List<java.util.function.Consumer<io.drover.core.rpo.ServiceStatus>> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    public RpoMonitor(DroverConfig config, RpoEvaluator evaluator, AlertDispatcher alerts, java.time.Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
        this.alerts = Objects.requireNonNull(alerts, "alerts");
    }

    /** Called with every status this monitor evaluates (the daemon's metrics listen). */
    public void onEvaluated(java.util.function.Consumer<io.drover.core.rpo.ServiceStatus> listener) {
        listeners.add(listener);
    }

    public RpoEvaluator evaluator() {
        return evaluator;
    }

    public AlertDispatcher alerts() {
        return alerts;
    }

    /** Evaluates every service; alerts every state change this call recorded. */
    public RpoEvaluator.Evaluation evaluateAll() {
        return publish(evaluator.evaluateAndRecord());
    }

    /** After a run of {@code job} ended, successful or not: evaluates the services it protects. */
    public List<RpoTransition> afterJob(String job) {
        try {
            return publish(evaluator.evaluateAndRecordAfter(job)).transitions();
        } catch (RuntimeException e) {
            LOG.warn("RPO evaluation after job '{}' failed: {}", job, e.getMessage());
            return List.of();
        }
    }

    /** After the standbys of {@code database} were measured: evaluates the services it replicates. */
    public List<RpoTransition> afterReplicationSample(String database) {
        try {
            return publish(evaluator.evaluateAndRecordReplicated(database)).transitions();
        } catch (RuntimeException e) {
            LOG.warn("RPO evaluation after sampling database '{}' failed: {}", database, e.getMessage());
            return List.of();
        }
    }

    /** A job failed: alerts, then re-evaluates the services it protects. */
    public void jobFailed(String job, String kind, long runId, String message) {
        try {
            alerts.dispatch(Alerts.jobFailed(job, kind, runId, message, config.servicesProtectedBy(job),
                    clock.instant()));
        } catch (RuntimeException e) {
            LOG.warn("alerting the failure of job '{}' failed: {}", job, e.getMessage());
        }
        afterJob(job);
    }

    private RpoEvaluator.Evaluation publish(RpoEvaluator.Evaluation evaluation) {
        evaluation.statuses().forEach(status -> listeners.forEach(listener -> listener.accept(status)));
        announce(evaluation.transitions());
        return evaluation;
    }

    private List<RpoTransition> announce(List<RpoTransition> transitions) {
        List<RpoTransition> announced = new ArrayList<>();
        for (RpoTransition transition : transitions) {
            LOG.info("service '{}': RPO {} -> {}", transition.service(),
                    transition.from().map(Enum::name).orElse("(new)"), transition.to());
            ServiceConfig service = config.services().get(io.drover.core.rpo.ReplicaStatus.serviceOf(transition.service())
                    .orElse(transition.service()));
            // A service's first evaluation that finds it OK is no news; anything else is.
            boolean news = transition.from().isPresent() || transition.to() != io.drover.core.model.RpoState.OK;
            if (service != null && news && transition.to() != io.drover.core.model.RpoState.UNTRACKED) {
                Alert alert = Alerts.rpoChanged(transition, service);
                alerts.dispatch(alert);
            }
            announced.add(transition);
        }
        return announced;
    }
}
