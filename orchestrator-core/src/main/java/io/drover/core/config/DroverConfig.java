package io.drover.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded, validated {@code drover.yaml}. Connector sections are already bound to their
 * factories' config records; every cross reference (job → source, job → targets, service → jobs)
 * has been checked.
 *
 * @param file     the file it was read from
 * @param stateDir {@code state-dir}: where the embedded catalog, caches and locks live
 * @param prune    {@code prune:} settings (grace period for orphans, Object Lock days)
 * @param rpoTracking {@code rpo-tracking:} settings (at-risk fraction, evaluation interval)
 * @param alerts   {@code alerts:} channels and their limits
 * @param blackouts {@code blackouts:} windows in which the schedules that name them do not fire
 * @param serve    {@code serve:} settings of the daemon
 * @param databases {@code databases:} replicated databases (members on sites) whose replica lag is
 *                  tracked and which runbooks act on
 * @param runbooks  {@code runbooks:} runbook files and directories (relative to the config file's
 *                  directory), searched before the runbooks shipped with drover
 * @param roles     {@code roles:} who may approve runbook gates: role name to OS user names
 * @param traffic   {@code traffic:} load balancers, proxies and DNS names that runbooks switch
 */
public record DroverConfig(Path file, Optional<Path> stateDir, Optional<CatalogConfig> catalog,
                           EncryptionConfig encryption, Map<String, ConnectorDefinition> targets,
                           Map<String, ConnectorDefinition> sources, Map<String, JobConfig> jobs,
                           Map<String, ServiceConfig> services, PruneConfig prune,
                           RpoTrackingConfig rpoTracking, AlertsConfig alerts,
                           Map<String, BlackoutConfig> blackouts, ServeConfig serve,
                           Map<String, ConnectorDefinition> databases, List<Path> runbooks,
                           Map<String, List<String>> roles, Map<String, ConnectorDefinition> traffic) {
    public DroverConfig {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(encryption, "encryption");
        targets = Map.copyOf(targets);
        sources = Map.copyOf(sources);
        jobs = Map.copyOf(jobs);
        services = Map.copyOf(services);
        Objects.requireNonNull(prune, "prune");
        Objects.requireNonNull(rpoTracking, "rpoTracking");
        Objects.requireNonNull(alerts, "alerts");
        blackouts = Map.copyOf(blackouts);
        Objects.requireNonNull(serve, "serve");
        databases = Map.copyOf(databases);
        runbooks = List.copyOf(runbooks);
        Map<String, List<String>> copied = new java.util.LinkedHashMap<>();
        roles.forEach((role, users) -> copied.put(role, List.copyOf(users)));
        roles = java.util.Collections.unmodifiableMap(copied);
        traffic = Map.copyOf(traffic);
    }

    /** A config without a {@code traffic:} section. */
    public DroverConfig(Path file, Optional<Path> stateDir, Optional<CatalogConfig> catalog, EncryptionConfig encryption,
                        Map<String, ConnectorDefinition> targets, Map<String, ConnectorDefinition> sources,
                        Map<String, JobConfig> jobs, Map<String, ServiceConfig> services, PruneConfig prune,
                        RpoTrackingConfig rpoTracking, AlertsConfig alerts, Map<String, BlackoutConfig> blackouts,
                        ServeConfig serve, Map<String, ConnectorDefinition> databases, List<Path> runbooks,
                        Map<String, List<String>> roles) {
        this(file, stateDir, catalog, encryption, targets, sources, jobs, services, prune, rpoTracking, alerts, blackouts,
                serve, databases, runbooks, roles, Map.of());
    }

    /** A config without {@code runbooks:} and {@code roles:} sections. */
    public DroverConfig(Path file, Optional<Path> stateDir, Optional<CatalogConfig> catalog, EncryptionConfig encryption,
                        Map<String, ConnectorDefinition> targets, Map<String, ConnectorDefinition> sources,
                        Map<String, JobConfig> jobs, Map<String, ServiceConfig> services, PruneConfig prune,
                        RpoTrackingConfig rpoTracking, AlertsConfig alerts, Map<String, BlackoutConfig> blackouts,
                        ServeConfig serve, Map<String, ConnectorDefinition> databases) {
        this(file, stateDir, catalog, encryption, targets, sources, jobs, services, prune, rpoTracking, alerts, blackouts,
                serve, databases, List.of(), Map.of());
    }

    /** A config without a {@code databases:} section. */
    public DroverConfig(Path file, Optional<Path> stateDir, Optional<CatalogConfig> catalog, EncryptionConfig encryption,
                        Map<String, ConnectorDefinition> targets, Map<String, ConnectorDefinition> sources,
                        Map<String, JobConfig> jobs, Map<String, ServiceConfig> services, PruneConfig prune,
                        RpoTrackingConfig rpoTracking, AlertsConfig alerts, Map<String, BlackoutConfig> blackouts,
                        ServeConfig serve) {
        this(file, stateDir, catalog, encryption, targets, sources, jobs, services, prune, rpoTracking, alerts, blackouts,
                serve, Map.of());
    }

    /** The services whose {@code replicated-by} lists {@code database}, in name order. */
    public java.util.List<String> servicesReplicatedBy(String database) {
        return services.entrySet().stream()
                .filter(e -> e.getValue().replicatedBy().contains(database))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    /** The services whose {@code protected-by} lists {@code job}, in name order. */
    public java.util.List<String> servicesProtectedBy(String job) {
        return services.entrySet().stream()
                .filter(e -> e.getValue().protectedBy().contains(job))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }
}
