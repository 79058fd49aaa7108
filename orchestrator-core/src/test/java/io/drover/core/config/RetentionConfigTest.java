package io.drover.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.drover.core.connector.ConnectorRegistry;
import io.drover.core.error.DroverException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jobs.<name>.retention} and top-level {@code prune}: binding, defaults and located problems. */
class RetentionConfigTest {
    private final ConfigLoader loader = new ConfigLoader(new ConnectorRegistry(List.of(new ConfigLoaderTest.DirTargetFactory()),
            List.of(new ConfigLoaderTest.FilesSourceFactory())), Map.<String, String>of()::get);

    private Path write(Path dir, String retention, String prune) throws Exception {
        Path file = dir.resolve("drover.yaml");
        Files.writeString(file, """
                encryption: { insecure-no-encryption: true }
                targets:
                  local: { type: dir, path: /srv/backup }
                sources:
                  etc: { type: files, paths: [/etc] }
                jobs:
                  etc:
                    source: etc
                    targets: [local]
                %s
                %s
                """.formatted(retention, prune));
        return file;
    }

    @Test
    void bindsEveryRuleAndDefaultsTheRest(@TempDir Path dir) throws Exception {
        DroverConfig config = loader.load(write(dir, "    retention: { keep-last: 3, daily: 7, weekly: 4, keep-within: 2d }",
                "prune: { grace-period: 36h, object-lock-days: 35 }"));
        RetentionConfig retention = config.jobs().get("etc").retention().orElseThrow();
        assertThat(retention).isEqualTo(new RetentionConfig(3, 0, 7, 4, 0, 0, Optional.of(Duration.ofDays(2))));
        assertThat(config.prune()).isEqualTo(new PruneConfig(Duration.ofHours(36), Optional.of(35)));
    }

    @Test
    void absentRetentionKeepsEverythingAndPruneHasDefaults(@TempDir Path dir) throws Exception {
        DroverConfig config = loader.load(write(dir, "", ""));
        assertThat(config.jobs().get("etc").retention()).isEmpty();
        assertThat(config.prune()).isEqualTo(PruneConfig.defaults());
    }

    @Test
    void negativeCountsAndEmptyPoliciesAreLocatedProblems(@TempDir Path dir) throws Exception {
        Path file = write(dir, "    retention: { daily: -1, monthly: 2 }", "prune: { grace-period: 1h, object-lock-days: -3 }");
        assertThat(catchThrowableOfType(DroverException.class, () -> loader.load(file)).details())
                .anySatisfy(p -> assertThat(p).contains("jobs.etc.retention.daily: daily must be 0 or more, got -1"))
                .anySatisfy(p -> assertThat(p).contains("prune.object-lock-days: object-lock-days must be 0 or more"));
    }

    @Test
    void aRetentionThatKeepsNothingIsAProblem(@TempDir Path dir) throws Exception {
        Path file = write(dir, "    retention: { daily: 0 }", "");
        assertThat(catchThrowableOfType(DroverException.class, () -> loader.load(file)).details()).singleElement()
                .asString().contains("jobs.etc.retention: retention keeps nothing");
    }
}
