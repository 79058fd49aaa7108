package io.drover.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.app.BackupService;
import io.drover.core.app.DroverRuntime;
import io.drover.core.app.InitService;
import io.drover.core.app.VerifyService;
import io.drover.core.catalog.RunbookExecutionStatus;
import io.drover.core.catalog.RunbookStepRecord;
import io.drover.core.config.ConfigLoader;
import io.drover.core.config.DroverConfig;
import io.drover.core.connector.ConnectorRegistry;
import io.drover.core.model.BackupId;
import io.drover.core.model.VerificationLevel;
import io.drover.core.repository.BackupProgress;
import io.drover.core.spi.EntryMeta;
import io.drover.core.spi.EntrySink;
import io.drover.core.spi.Source;
import io.drover.core.spi.SourceCapability;
import io.drover.core.spi.SourceReadContext;
import io.drover.core.spi.SourceSnapshot;
import io.drover.core.testing.InMemoryStorageTarget;
import io.drover.core.testing.TestConnectors;
import io.drover.runbook.model.Runbook;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code action: restore-backup} through the engine, with core's real backup, verify and restore
 * over an in-memory repository: what the plan picks, the restored tree, and the refusals.
 */
class RestoreBackupActionTest {
    @TempDir
    Path dir;

    private DroverRuntime runtime;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final TestEngines.RecordingServices services = new TestEngines.RecordingServices();

    /** A file source over a local tree: what {@code type: files} does, without the filesystem connector. */
    record TreeConfig(Path root) {
    }

    static final class TreeSource implements Source {
        private final Path root;

        TreeSource(Path root) {
            this.root = root;
        }

        @Override
        public Set<SourceCapability> capabilities() {
            return Set.of();
        }

        @Override
        public String describe() {
            return "tree " + root;
        }

        @Override
        public SourceSnapshot read(SourceReadContext context, EntrySink sink) throws IOException {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted().toList()) {
                    if (path.equals(root)) {
                        continue;
                    }
                    String name = root.relativize(path).toString();
                    Instant modified = Files.getLastModifiedTime(path).toInstant();
                    if (Files.isDirectory(path)) {
                        sink.directory(EntryMeta.directory(name, 0755, modified));
                    } else {
                        sink.file(EntryMeta.file(name, 0644, modified, Files.size(path)), () -> Files.newInputStream(path));
                    }
                }
            }
            return new SourceSnapshot(context.clock().instant(), Map.of());
        }
    }

    @BeforeEach
    void start() throws Exception {
        Path tree = dir.resolve("app-config");
        Files.createDirectories(tree.resolve("conf.d"));
        Files.writeString(tree.resolve("app.yaml"), "port: 8080\n");
        Files.writeString(tree.resolve("conf.d/db.yaml"), "url: jdbc:postgresql://db2/orders\n");
        Path file = dir.resolve("drover.yaml");
        Files.writeString(file, """
                state-dir: %1$s/state
                encryption: { insecure-no-encryption: true }
                targets:
                  offsite: { type: mem, name: offsite }
                sources:
                  app-config: { type: tree, root: %1$s/app-config }
                jobs:
                  app-config-nightly: { source: app-config, targets: [offsite] }
                  never-run: { source: app-config, targets: [offsite] }
                """.formatted(dir));
        InMemoryStorageTarget target = new InMemoryStorageTarget();
        ConnectorRegistry registry = new ConnectorRegistry(
                List.of(TestConnectors.target("mem", TestConnectors.Named.class, c -> target)),
                List.of(TestConnectors.source("tree", TreeConfig.class, c -> new TreeSource(c.root()))));
        Map<String, String> env = Map.of();
        DroverConfig config = new ConfigLoader(registry, env::get).load(file);
        runtime = new DroverRuntime(config, registry, Clock.systemUTC(), env::get);
        new InitService(runtime).initialize(List.of("offsite"), "test");
        services.backups = new RuntimeBackups(runtime, "op");
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    private BackupId backUp() {
        return new BackupService(runtime).run("app-config-nightly", BackupProgress.NONE, "test").manifest().id();
    }

    private void verify(BackupId id) {
        assertThat(new VerifyService(runtime).verify("offsite", id, VerificationLevel.QUICK).passed()).isTrue();
    }

    private static Runbook runbook(String with) {
        return TestEngines.runbook("dr", """
                name: dr
                steps:
                  - id: restore-config
                    action: restore-backup
                    with: %s
                """.formatted(with));
    }

    private RunbookEngine engine() {
        return TestEngines.engine(runtime.catalog(), runtime.stateDir(), "op", lines::add, services);
    }

    private RunbookStepRecord step(ExecutionResult result) {
        return runtime.catalog().runbookSteps(result.id()).getFirst();
    }

    private static Map<String, String> contents(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(path).toString(), Files.readString(path));
            }
        }
        return files;
    }

    @Test
    void restoresTheNewestVerifiedBackupIntoAnEmptyDirectoryAndIsDoneOnTheNextRun() throws Exception {
        BackupId older = backUp();
        verify(older);
        Files.writeString(dir.resolve("app-config/app.yaml"), "port: 9090\n");
        BackupId newer = backUp();
        verify(newer);
        Files.writeString(dir.resolve("app-config/app.yaml"), "port: 7070\n");
        BackupId unverified = backUp();
        Path to = dir.resolve("dr/app-config");

        Runbook runbook = runbook("{ job: app-config-nightly, to: " + to + ", from: offsite }");
        StepPlan plan = engine().plan(runbook, Map.of()).steps().getFirst();
        assertThat(plan.summary()).hasValueSatisfying(s -> assertThat(s).startsWith("restore backup " + newer
                + " of job app-config-nightly (captured ").endsWith(") from offsite into " + to));
        assertThat(plan.preconditions()).allMatch(p -> p.passed());
        assertThat(plan.preconditions().get(1).detail()).startsWith(newer + ", captured ")
                .contains(" ago), VERIFIED_QUICK on offsite, 2 files");

        ExecutionResult result = engine().run(runbook, Map.of());

        assertThat(result.status()).as(String.join("\n", lines)).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        Map<String, String> restored = contents(to);
        assertThat(restored.remove(".drover-restore")).contains("backup-id=" + newer);
        assertThat(restored).containsExactlyInAnyOrderEntriesOf(Map.of("app.yaml", "port: 9090\n",
                "conf.d/db.yaml", "url: jdbc:postgresql://db2/orders\n"));
        assertThat(step(result).outputs()).contains("\"backup-id\":\"" + newer + "\"", "\"target\":\"offsite\"",
                "\"files\":\"2\"", "\"captured-at\":\"20");
        assertThat(runtime.catalog().auditEvents(20)).anyMatch(e -> e.action().equals("restore")
                && e.subject().equals(newer.value()) && e.actor().equals("op"));
        assertThat(unverified).isNotEqualTo(newer);

        // Run again: the marker names the backup it would restore, so the step is done without writing.
        ExecutionResult again = engine().run(runbook, Map.of());
        assertThat(again.status()).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        assertThat(step(again).message()).hasValueSatisfying(m -> assertThat(m).contains("already done")
                .contains("holds backup " + newer));
    }

    @Test
    void withVerifiedFalseTheNewestBackupIsRestoredEvenUnverified() throws Exception {
        verify(backUp());
        Files.writeString(dir.resolve("app-config/app.yaml"), "port: 7070\n");
        BackupId newest = backUp();
        Path to = dir.resolve("dr/any");

        ExecutionResult result = engine().run(runbook("{ job: app-config-nightly, to: " + to + ", verified: false }"),
                Map.of());

        assertThat(result.status()).as(String.join("\n", lines)).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        assertThat(step(result).outputs()).contains("\"backup-id\":\"" + newest + "\"");
        assertThat(Files.readString(to.resolve("app.yaml"))).isEqualTo("port: 7070\n");
    }

    @Test
    void refusesANonEmptyDirectoryWithoutForceAndWritesIntoItWithForce() throws Exception {
        verify(backUp());
        Path to = dir.resolve("dr/busy");
        Files.createDirectories(to);
        Files.writeString(to.resolve("app.yaml"), "stale\n");
        Files.writeString(to.resolve("keep.txt"), "local\n");

        Runbook refused = runbook("{ job: app-config-nightly, to: " + to + " }");
        StepPlan plan = engine().plan(refused, Map.of()).steps().getFirst();
        assertThat(plan.preconditions()).filteredOn(p -> !p.passed()).singleElement()
                .satisfies(p -> assertThat(p.detail()).isEqualTo("not empty; set force: true to restore into it anyway"));
        ExecutionResult result = engine().run(refused, Map.of());
        assertThat(result.status()).isEqualTo(RunbookExecutionStatus.FAILED);
        assertThat(result.message()).hasValueSatisfying(m -> assertThat(m).contains(to + " is empty")
                .contains("not empty; set force: true"));
        assertThat(Files.readString(to.resolve("app.yaml"))).isEqualTo("stale\n");

        ExecutionResult forced = engine().run(runbook("{ job: app-config-nightly, to: " + to + ", force: true }"), Map.of());
        assertThat(forced.status()).as(String.join("\n", lines)).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        assertThat(Files.readString(to.resolve("app.yaml"))).isEqualTo("port: 8080\n");
        assertThat(Files.readString(to.resolve("keep.txt"))).isEqualTo("local\n");
    }

    @Test
    void aJobWithoutBackupsOrAnUnknownJobFailsThePreconditionClearly() throws Exception {
        backUp(); // unverified: with the default verified: true it does not count
        Path to = dir.resolve("dr/none");

        StepPlan unverifiedOnly = engine().plan(runbook("{ job: app-config-nightly, to: " + to + " }"), Map.of())
                .steps().getFirst();
        assertThat(unverifiedOnly.preconditions()).filteredOn(p -> !p.passed()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("a verified backup of job app-config-nightly exists");
            assertThat(p.detail()).contains("none found").contains("verified: false");
        });

        ExecutionResult never = engine().run(runbook("{ job: never-run, to: " + to + ", verified: false }"), Map.of());
        assertThat(never.status()).isEqualTo(RunbookExecutionStatus.FAILED);
        assertThat(never.message()).hasValueSatisfying(m -> assertThat(m)
                .contains("a backup of job never-run exists").contains("none found"));
        assertThat(to).doesNotExist();

        StepPlan unknown = engine().plan(runbook("{ job: nightly, to: " + to + " }"), Map.of()).steps().getFirst();
        assertThat(unknown.preconditions()).singleElement().satisfies(p -> {
            assertThat(p.passed()).isFalse();
            assertThat(p.detail()).isEqualTo("no job 'nightly' under jobs:; defined: app-config-nightly, never-run");
        });
    }
}
