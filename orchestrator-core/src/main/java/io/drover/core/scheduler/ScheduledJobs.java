package io.drover.core.scheduler;

import io.drover.core.config.DroverConfig;
import io.drover.core.config.JobConfig;
import io.drover.core.config.RestoreVerifyConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The daemon's schedule as the config defines it. */
public final class ScheduledJobs {
    public static final String RPO_KEY = "rpo";
    public static final String REPLICATION_KEY = "replication";
    public static final String PRUNE_KEY = "prune";

    private ScheduledJobs() {
    }

    public static List<ScheduledJob> of(DroverConfig config) {
        List<ScheduledJob> jobs = new ArrayList<>();
        for (Map.Entry<String, JobConfig> entry : new TreeMap<>(config.jobs()).entrySet()) {
            String name = entry.getKey();
            JobConfig job = entry.getValue();
            job.schedule().ifPresent(s -> jobs.add(new ScheduledJob(ScheduledJob.key(JobKind.BACKUP, name),
                    JobKind.BACKUP, Optional.of(name), Optional.of(s), Optional.empty(), job.targets())));
            job.verify().flatMap(v -> v.deep()).ifPresent(s -> jobs.add(new ScheduledJob(
                    ScheduledJob.key(JobKind.VERIFY_DEEP, name), JobKind.VERIFY_DEEP, Optional.of(name), Optional.of(s),
                    Optional.empty(), job.targets())));
            job.verify().flatMap(v -> v.restore()).flatMap(RestoreVerifyConfig::schedule).ifPresent(s -> jobs.add(new ScheduledJob(
                    ScheduledJob.key(JobKind.VERIFY_RESTORE, name), JobKind.VERIFY_RESTORE, Optional.of(name),
                    Optional.of(s), Optional.empty(), job.targets())));
        }
        config.prune().schedule().ifPresent(s -> jobs.add(new ScheduledJob(PRUNE_KEY, JobKind.PRUNE, Optional.empty(),
                Optional.of(s), Optional.empty(), List.copyOf(new TreeMap<>(config.targets()).keySet()))));
        jobs.add(new ScheduledJob(RPO_KEY, JobKind.RPO, Optional.empty(), Optional.empty(),
                Optional.of(config.rpoTracking().interval()), List.of()));
        if (!config.databases().isEmpty()) {
            jobs.add(new ScheduledJob(REPLICATION_KEY, JobKind.REPLICATION, Optional.empty(), Optional.empty(),
                    Optional.of(config.rpoTracking().replicationInterval()), List.of()));
        }
        return jobs;
    }

    /** The entry with {@code key}, if the config defines one. */
    public static Optional<ScheduledJob> find(DroverConfig config, String key) {
        return of(config).stream().filter(j -> j.key().equals(key)).findFirst();
    }
}
