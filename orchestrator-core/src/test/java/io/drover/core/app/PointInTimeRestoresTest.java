package io.drover.core.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.config.ConfigLoader;
import io.drover.core.config.DroverConfig;
import io.drover.core.connector.ConnectorRegistry;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.model.BackupId;
import io.drover.core.repository.BackupProgress;
import io.drover.core.spi.EntryMeta;
import io.drover.core.spi.EntrySink;
import io.drover.core.spi.PhysicalRestorable;
import io.drover.core.spi.Source;
import io.drover.core.spi.SourceCapability;
import io.drover.core.spi.SourceReadContext;
import io.drover.core.spi.SourceSnapshot;
import io.drover.core.testing.InMemoryStorageTarget;
import io.drover.core.testing.TestConnectors;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PointInTimeRestores}: which WAL points are used, in which order, and the restorable window. */
class PointInTimeRestoresTest {
    static final InMemoryStorageTarget TARGET = new InMemoryStorageTarget();
    static final AtomicInteger WAL_RUN = new AtomicInteger();
    static volatile Map<String, String> handed = Map.of();
    static volatile Optional<Instant> handedTarget = Optional.empty();

    record FakeConfig(String mode) {
    }

    /** "physical": base.tar with a start-lsn; "wal": wal/SEG1 once and a growing wal/SEG2.partial each run. */
    static final class FakePhysical implements PhysicalRestorable {
        private final String mode;

        FakePhysical(String mode) {
            this.mode = mode;
        }

        @Override
        public Set<SourceCapability> capabilities() {
            return Set.of();
        }

        @Override
        public String describe() {
            return "fake " + mode;
        }

        @Override
        public SourceSnapshot read(SourceReadContext context, EntrySink sink) throws IOException {
            Instant now = context.clock().instant();
            if (mode.equals("physical")) {
                file(sink, "base.tar", "base");
                return new SourceSnapshot(now, Map.of("start-lsn", "0/2000028"));
            }
            int run = WAL_RUN.incrementAndGet();
            if (run == 1) {
                file(sink, "wal/000000010000000000000001", "seg1");
            }
            file(sink, "wal/000000010000000000000002.partial", "partial-of-run-" + run);
            return new SourceSnapshot(now, Map.of("end-lsn", "0/20000" + run));
        }

        private static void file(EntrySink sink, String path, String text) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            sink.file(EntryMeta.file(path, 0600, Instant.EPOCH, bytes.length), () -> new ByteArrayInputStream(bytes));
        }

        @Override
        public String restoreDataDirectory(Path baseFiles, Path walFiles, Path dataDirectory, Optional<Instant> targetTime)
                throws IOException {
            Map<String, String> seen = new TreeMap<>();
            seen.put("base.tar", Files.readString(baseFiles.resolve("base.tar")));
            try (var files = Files.list(walFiles)) {
                for (Path file : files.toList()) {
                    seen.put(file.getFileName().toString(), Files.readString(file));
                }
            }
            handed = seen;
            handedTarget = targetTime;
            return "prepared " + dataDirectory;
        }
    }

    @TempDir
    Path dir;

    private DroverRuntime runtime() throws Exception {
        Path file = dir.resolve("drover.yaml");
        Files.writeString(file, """
                state-dir: %s/state
                encryption: { insecure-no-encryption: true }
                targets:
                  mem: { type: mem, name: one }
                sources:
                  base: { type: fakepg, mode: physical }
                  wal: { type: fakepg, mode: wal }
                jobs:
                  base: { source: base, targets: [mem] }
                  wal: { source: wal, targets: [mem] }
                """.formatted(dir));
        ConnectorRegistry registry = new ConnectorRegistry(
                List.of(TestConnectors.target("mem", TestConnectors.Named.class, c -> TARGET)),
                List.of(TestConnectors.source("fakepg", FakeConfig.class, c -> new FakePhysical(c.mode()))));
        Map<String, String> env = Map.of();
        DroverConfig config = new ConfigLoader(registry, env::get).load(file);
        DroverRuntime runtime = new DroverRuntime(config, registry, Clock.systemUTC(), env::get);
        new InitService(runtime).initialize(List.of("mem"), "test");
        return runtime;
    }

    @Test
    void theWalOfEveryPointIsHandedOverWithTheNewestPartialAndTheWindowIsEnforced() throws Exception {
        WAL_RUN.set(0);
        try (DroverRuntime runtime = runtime()) {
            BackupService backups = new BackupService(runtime);
            backups.run("wal", BackupProgress.NONE, "test");
            BackupId base = backups.run("base", BackupProgress.NONE, "test").manifest().id();
            Thread.sleep(5);
            backups.run("wal", BackupProgress.NONE, "test");
            Thread.sleep(5);
            var newest = backups.run("wal", BackupProgress.NONE, "test").manifest();
            Instant baseEnd = runtime.repository("mem").manifest(base).capturedAt();
            PointInTimeRestores restores = new PointInTimeRestores(runtime);

            var outcome = restores.restore(base, Optional.empty(), "wal", dir.resolve("data"), Optional.of(baseEnd), "test");

            assertThat(outcome.windowStart()).isEqualTo(baseEnd);
            // The catalog keeps microseconds: the window ends at most a microsecond early, never late.
            Instant windowEnd = newest.capturedAt().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
            assertThat(outcome.windowEnd()).isEqualTo(windowEnd);
            assertThat(outcome.walPoints()).hasSize(3); // the two after the base, and the newest one before it
            assertThat(handed).containsEntry("base.tar", "base")
                    .containsEntry("000000010000000000000001", "seg1")
                    .containsEntry("000000010000000000000002.partial", "partial-of-run-3");
            assertThat(handedTarget).contains(baseEnd);
            assertThat(dir.resolve("state/tmp")).isEmptyDirectory();

            assertThatThrownBy(() -> restores.restore(base, Optional.empty(), "wal", dir.resolve("data2"),
                    Optional.of(newest.capturedAt().plusMillis(1)), "test"))
                    .isInstanceOf(DroverException.class)
                    .hasMessageContaining("outside the restorable window").hasMessageContaining(baseEnd.toString())
                    .hasMessageContaining(windowEnd.toString());
            assertThatThrownBy(() -> restores.restore(base, Optional.empty(), "wal", dir.resolve("data2"),
                    Optional.of(baseEnd.minusMillis(1)), "test"))
                    .hasMessageContaining("outside the restorable window");

            Files.createDirectories(dir.resolve("full"));
            Files.writeString(dir.resolve("full/PG_VERSION"), "15");
            assertThatThrownBy(() -> restores.restore(base, Optional.empty(), "wal", dir.resolve("full"), Optional.empty(),
                    "test")).isInstanceOfSatisfying(DroverException.class,
                    e -> assertThat(e.code()).isEqualTo(DroverErrors.RESTORE_TARGET_NOT_EMPTY));

            BackupId walPoint = newest.id();
            assertThatThrownBy(() -> restores.restore(walPoint, Optional.empty(), "wal", dir.resolve("data3"),
                    Optional.empty(), "test")).hasMessageContaining("not a physical base backup");
        }
    }
}
