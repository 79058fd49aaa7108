package io.drover.core.rpo;

import io.drover.core.catalog.Catalog;
import io.drover.core.catalog.RecoveryPointRecord;
import io.drover.core.catalog.ReplicaStateRecord;
import io.drover.core.catalog.RpoStateRecord;
import io.drover.core.catalog.RpoTransition;
import io.drover.core.config.DroverConfig;
import io.drover.core.config.JobConfig;
import io.drover.core.config.ServiceConfig;
import io.drover.core.model.RpoState;
import io.drover.core.model.VerificationLevel;
import io.drover.core.model.VerificationState;
import io.drover.core.replication.ReplicaLag;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Computes every service's achieved RPO from the catalog: now − captured-at of the newest recovery
 * point of its protecting jobs that reached the verification level the service requires. Time comes
 * from the injected clock only, so tests move time instead of sleeping.
 */
public final class RpoEvaluator {
    private final DroverConfig config;
    private final Catalog catalog;
    private final Clock clock;
    private final RpoClassifier classifier;

    public RpoEvaluator(DroverConfig config, Catalog catalog, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.classifier = new RpoClassifier(config.rpoTracking().atRiskFraction());
    }

    /** Every configured service, in name order. */
    public List<ServiceStatus> evaluateAll() {
        Instant now = clock.instant();
        List<ServiceStatus> all = new ArrayList<>();
        for (String service : new TreeMap<>(config.services()).keySet()) {
            all.add(evaluate(service, now));
        }
        return all;
    }

    public ServiceStatus evaluate(String service) {
        return evaluate(service, clock.instant());
    }

    private ServiceStatus evaluate(String name, Instant now) {
        ServiceConfig service = config.services().get(name);
        if (service == null) {
            throw new IllegalArgumentException("no service '" + name + "' in the config");
        }
        List<String> jobs = service.protectedBy();
        VerificationState required = service.verification().map(VerificationLevel::passedState)
                .orElse(VerificationState.UNVERIFIED);
        Optional<RecoveryPointRecord> newest = catalog.newestUsableRecoveryPoint(jobs, required);
        Optional<RecoveryPointRecord> newestBackup = required == VerificationState.UNVERIFIED ? newest
                : catalog.newestUsableRecoveryPoint(jobs, VerificationState.UNVERIFIED);
        Optional<Duration> achieved = newest.map(p -> nonNegative(Duration.between(p.capturedAt(), now)));
        RpoState state = classifier.classify(achieved, service.rpo());
        Optional<Instant> worsening = newest.flatMap(p -> classifier.nextWorsening(p.capturedAt(), service.rpo(), now));
        List<Schedules.Firing> schedules = jobs.stream().map(config.jobs()::get)
                .filter(Objects::nonNull).map(JobConfig::schedule).flatMap(Optional::stream)
                .map(s -> Schedules.Firing.of(s, config.blackouts())).toList();
        return new ServiceStatus(name, service.tier(), service.owner(), service.rpo(), service.rto(),
                service.verification(), state, achieved, newest, newestBackup, catalog.latestRun(jobs),
                catalog.latestVerification(jobs, Optional.empty()),
                catalog.latestVerification(jobs, Optional.of(VerificationLevel.RESTORE)),
                Schedules.nextFire(schedules, now), worsening, now, replica(service, now));
    }

    private Optional<ReplicaStatus> replica(ServiceConfig service, Instant now) {
        if (service.replicatedBy().isEmpty()) {
            return Optional.empty();
        }
        Duration interval = config.rpoTracking().replicationInterval();
        List<ReplicaStateRecord> standbys = catalog.replicaStates(service.replicatedBy());
        if (standbys.isEmpty()) {
            // Not sampled yet (a daemon that just started): no state rather than a false alarm. A
            // sample that fails leaves rows behind (ReplicationTracker), so this does not last.
            return Optional.empty();
        }
        Optional<Duration> worst = Optional.of(Duration.ZERO);
        for (String database : service.replicatedBy()) {
            Optional<Duration> best = standbys.stream().filter(s -> s.database().equals(database))
                    .map(s -> ReplicaLag.effective(s, interval, now)).flatMap(Optional::stream).min(Duration::compareTo);
            worst = best.isEmpty() || worst.isEmpty() ? Optional.empty()
                    : Optional.of(best.get().compareTo(worst.get()) > 0 ? best.get() : worst.get());
        }
        return Optional.of(new ReplicaStatus(classifier.classify(worst, service.rpo()), worst, standbys));
    }

    /** Every service's status, and the state changes recording them made. */
    public record Evaluation(List<ServiceStatus> statuses, List<RpoTransition> transitions) {
    }

    /**
     * Evaluates every service and stores the results; the transitions are those this call recorded
     * (each change is recorded by exactly one caller, however many evaluate at once).
     */
    public Evaluation evaluateAndRecord() {
        List<RpoTransition> transitions = new ArrayList<>();
        List<ServiceStatus> statuses = evaluateAll();
        for (ServiceStatus status : statuses) {
            transitions.addAll(record(status));
        }
        List<String> keys = new ArrayList<>();
        for (ServiceStatus status : statuses) {
            keys.add(status.service());
            status.replica().ifPresent(r -> keys.add(ReplicaStatus.key(status.service())));
        }
        catalog.forgetRpoStatesExcept(keys);
        return new Evaluation(statuses, transitions);
    }

    /** Evaluates the services {@code job} protects (after it ran) and stores the results. */
    public Evaluation evaluateAndRecordAfter(String job) {
        List<RpoTransition> transitions = new ArrayList<>();
        List<ServiceStatus> statuses = new ArrayList<>();
        Instant now = clock.instant();
        for (String service : config.servicesProtectedBy(job)) {
            ServiceStatus status = evaluate(service, now);
            statuses.add(status);
            transitions.addAll(record(status));
        }
        return new Evaluation(statuses, transitions);
    }

    /** Evaluates the services {@code database} replicates (after it was sampled) and stores the results. */
    public Evaluation evaluateAndRecordReplicated(String database) {
        List<RpoTransition> transitions = new ArrayList<>();
        List<ServiceStatus> statuses = new ArrayList<>();
        Instant now = clock.instant();
        for (String service : config.servicesReplicatedBy(database)) {
            ServiceStatus status = evaluate(service, now);
            statuses.add(status);
            transitions.addAll(record(status));
        }
        return new Evaluation(statuses, transitions);
    }

    /** Records the backup RPO state and, for a replicated service, the replica RPO state; returns the changes. */
    private List<RpoTransition> record(ServiceStatus status) {
        List<RpoTransition> changes = new ArrayList<>();
        recordBackup(status).ifPresent(changes::add);
        status.replica().flatMap(replica -> catalog.recordRpoEvaluation(new RpoStateRecord(ReplicaStatus.key(
                status.service()), replica.state(), status.evaluatedAt(), status.evaluatedAt(), replica.achieved(),
                status.rpoTarget(), Optional.empty()))).ifPresent(changes::add);
        return changes;
    }

    private Optional<RpoTransition> recordBackup(ServiceStatus status) {
        Instant since = status.newestUsable()
                .flatMap(p -> status.rpoTarget().flatMap(t -> classifier.enteredAt(status.state(), p.capturedAt(), t)))
                .orElse(status.evaluatedAt());
        return catalog.recordRpoEvaluation(new RpoStateRecord(status.service(), status.state(), since,
                status.evaluatedAt(), status.achieved(), status.rpoTarget(),
                status.newestUsable().map(RecoveryPointRecord::id)));
    }

    private static Duration nonNegative(Duration d) {
        // A point captured "in the future" means a clock skew between hosts; it is as fresh as can be.
        return d.isNegative() ? Duration.ZERO : d;
    }
}
