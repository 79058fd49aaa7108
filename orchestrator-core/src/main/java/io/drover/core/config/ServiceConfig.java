package io.drover.core.config;

import io.drover.core.model.VerificationLevel;
import io.drover.core.spi.Default;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code services.<name>}: one entry of the business impact analysis.
 *
 * @param rpo          the recovery point objective: the newest usable recovery point may be at most this old
 * @param rto          the recovery time objective, compared with measured restore and runbook durations
 * @param verification the level a recovery point must have passed to count for the RPO; absent means
 *                     every committed recovery point counts
 * @param protectedBy  the jobs whose recovery points protect this service
 * @param replicatedBy the databases (under {@code databases:}) whose standbys protect this service:
 *                     their replica lag is the service's replica RPO, judged against the same target;
 *                     a site failover promotes their members on the target site
 * @param traffic      the traffic switches (under {@code traffic:}) clients reach the service through, in
 *                     the order a site failover switches them (e.g. the load balancer before the DNS name)
 */
public record ServiceConfig(@Default("3") int tier, Optional<String> owner, Optional<Duration> rpo,
                            Optional<Duration> rto, Optional<VerificationLevel> verification,
                            @Default("[]") List<String> protectedBy,
                            @Default("[]") List<String> dependsOn, @Default("[]") List<String> runbooks,
                            @Default("[]") List<String> replicatedBy, @Default("[]") List<String> traffic) {
    public ServiceConfig {
        verification = verification == null ? Optional.empty() : verification;
        protectedBy = List.copyOf(protectedBy);
        dependsOn = List.copyOf(dependsOn);
        runbooks = List.copyOf(runbooks);
        replicatedBy = List.copyOf(replicatedBy);
        traffic = List.copyOf(traffic);
    }

    public ServiceConfig(int tier, Optional<String> owner, Optional<Duration> rpo, Optional<Duration> rto,
                         Optional<VerificationLevel> verification, List<String> protectedBy, List<String> dependsOn,
                         List<String> runbooks) {
        this(tier, owner, rpo, rto, verification, protectedBy, dependsOn, runbooks, List.of(), List.of());
    }
}
