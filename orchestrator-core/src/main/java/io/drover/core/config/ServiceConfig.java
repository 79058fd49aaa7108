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
 *                     their replica lag is the service's replica RPO, judged against the same target
 */
public record ServiceConfig(@Default("3") int tier, Optional<String> owner, Optional<Duration> rpo,
                            Optional<Duration> rto, Optional<VerificationLevel> verification,
                            @Default("[]") List<String> protectedBy,
                            @Default("[]") List<String> dependsOn, @Default("[]") List<String> runbooks,
                            @Default("[]") List<String> replicatedBy) {
    public ServiceConfig {
        verification = verification == null ? Optional.empty() : verification;
        protectedBy = List.copyOf(protectedBy);
        dependsOn = List.copyOf(dependsOn);
        runbooks = List.copyOf(runbooks);
        replicatedBy = List.copyOf(replicatedBy);
    }

    public ServiceConfig(int tier, Optional<String> owner, Optional<Duration> rpo, Optional<Duration> rto,
                         Optional<VerificationLevel> verification, List<String> protectedBy, List<String> dependsOn,
                         List<String> runbooks) {
        this(tier, owner, rpo, rto, verification, protectedBy, dependsOn, runbooks, List.of());
    }
}
