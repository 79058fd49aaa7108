package io.drover.core.rpo;

import io.drover.core.config.AlertsConfig;
import io.drover.core.config.CompressionConfig;
import io.drover.core.config.DroverConfig;
import io.drover.core.config.EncryptionConfig;
import io.drover.core.config.JobConfig;
import io.drover.core.config.PruneConfig;
import io.drover.core.config.RpoTrackingConfig;
import io.drover.core.config.ScheduleConfig;
import io.drover.core.config.ServiceConfig;
import io.drover.core.config.VerifyPolicyConfig;
import io.drover.core.model.DataSize;
import io.drover.core.model.VerificationLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Configs built in code for RPO tests: jobs with schedules, services with targets. */
final class TestConfigs {
    private TestConfigs() {
    }

    static JobConfig job(Optional<String> cron, Optional<VerificationLevel> afterBackup) {
        return new JobConfig("src", List.of("local"), new CompressionConfig(3, 0), DataSize.ofMebibytes(64), 7,
                cron.map(c -> new ScheduleConfig(c, ZoneId.of("UTC"))),
                afterBackup.map(level -> new VerifyPolicyConfig(Optional.of(level))), Optional.empty());
    }

    static ServiceConfig service(Optional<Duration> rpo, Optional<VerificationLevel> verification, String... jobs) {
        return new ServiceConfig(1, Optional.of("team"), rpo, Optional.empty(), verification, List.of(jobs), List.of(),
                List.of());
    }

    static DroverConfig config(Map<String, JobConfig> jobs, Map<String, ServiceConfig> services, double atRisk,
                               AlertsConfig alerts) {
        return new DroverConfig(Path.of("/test/drover.yaml"), Optional.empty(), Optional.empty(),
                new EncryptionConfig(List.of(), Optional.empty(), true), Map.of(), Map.of(), jobs, services,
                PruneConfig.defaults(), new RpoTrackingConfig(atRisk, Duration.ofMinutes(1)), alerts, Map.of(),
                io.drover.core.config.ServeConfig.defaults());
    }
}
