package io.drover.core.rpo;

import io.drover.core.config.DroverConfig;
import io.drover.core.config.JobConfig;
import io.drover.core.config.ServiceConfig;
import io.drover.core.config.VerifyPolicyConfig;
import io.drover.core.model.DurationText;
import io.drover.core.model.VerificationLevel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads the config as an auditor would: services nothing protects, RPO targets their jobs'
 * schedules cannot meet, verification levels no job ever reaches. These are not syntax errors
 * (the config loads), but a plan that fails the business on paper.
 */
public final class BiaReview {
    /** A year: every month length and both DST changes of any zone. */
    private static final Duration HORIZON = Duration.ofDays(366);
    private static final int MAX_FIRES = 200_000;

    private BiaReview() {
    }

    public static List<BiaFinding> review(DroverConfig config, Instant from) {
        List<BiaFinding> findings = new ArrayList<>();
        for (Map.Entry<String, ServiceConfig> entry : new TreeMap<>(config.services()).entrySet()) {
            review(config, entry.getKey(), entry.getValue(), from, findings);
        }
        return findings;
    }

    private static void review(DroverConfig config, String name, ServiceConfig service, Instant from,
                               List<BiaFinding> findings) {
        List<JobConfig> jobs = service.protectedBy().stream().map(config.jobs()::get).filter(Objects::nonNull).toList();
        if (jobs.isEmpty()) {
            findings.add(new BiaFinding(name, "service '" + name + "' is not protected: list its backup jobs in"
                    + " protected-by"));
            return;
        }
        if (service.rpo().isEmpty()) {
            findings.add(new BiaFinding(name, "service '" + name + "' has no rpo target, so its recovery point is"
                    + " not tracked; set rpo: (e.g. 24h) from the business impact analysis"));
        }
        service.rpo().ifPresent(rpo -> reviewSchedules(name, rpo, jobs, config.blackouts(), from, findings));
        service.verification().ifPresent(level -> reviewVerification(name, level, jobs, findings));
    }

    private static void reviewSchedules(String name, Duration rpo, List<JobConfig> jobs,
                                        Map<String, io.drover.core.config.BlackoutConfig> blackouts, Instant from,
                                        List<BiaFinding> findings) {
        List<Schedules.Firing> schedules = jobs.stream().map(JobConfig::schedule).flatMap(Optional::stream)
                .map(s -> Schedules.Firing.of(s, blackouts)).toList();
        if (schedules.isEmpty()) {
            findings.add(new BiaFinding(name, "service '" + name + "' has an RPO of " + DurationText.format(rpo)
                    + " but none of its jobs has a schedule: only manual runs would protect it"));
            return;
        }
        Optional<Duration> gap = Schedules.longestGap(schedules, from, HORIZON, rpo.plusNanos(1), MAX_FIRES);
        if (gap.isPresent() && gap.get().compareTo(rpo) > 0) {
            String longest = gap.get().getSeconds() == Long.MAX_VALUE ? "the schedules stop firing"
                    : "backups can be " + DurationText.format(gap.get()) + " apart";
            findings.add(new BiaFinding(name, "the schedules of service '" + name + "' cannot meet its RPO of "
                    + DurationText.format(rpo) + ": " + longest + "; schedule its jobs more often or agree a longer"
                    + " RPO in the BIA"));
        }
    }

    private static void reviewVerification(String name, VerificationLevel level, List<JobConfig> jobs,
                                           List<BiaFinding> findings) {
        boolean reached = jobs.stream().map(JobConfig::verify).flatMap(Optional::stream)
                .map(VerifyPolicyConfig::afterBackup).flatMap(Optional::stream)
                .anyMatch(after -> after.compareTo(level) >= 0);
        if (!reached) {
            findings.add(new BiaFinding(name, "service '" + name + "' counts only recovery points verified at level "
                    + level.id() + ", but none of its jobs verifies at that level after each backup"
                    + " (verify: { after-backup: " + level.id() + " }); until one does, only manual"
                    + " 'drover verify --level " + level.id() + "' runs keep it within its RPO"));
        }
    }
}
