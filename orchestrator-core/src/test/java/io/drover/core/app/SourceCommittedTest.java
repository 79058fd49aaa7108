package io.drover.core.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.config.ConfigLoader;
import io.drover.core.config.DroverConfig;
import io.drover.core.connector.ConnectorRegistry;
import io.drover.core.repository.BackupProgress;
import io.drover.core.spi.EntryMeta;
import io.drover.core.spi.EntrySink;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Source#committed}: called once after the backup is committed on every target, never after a failure. */
class SourceCommittedTest {
    static final List<SourceSnapshot> COMMITTED = new CopyOnWriteArrayList<>();
    static final InMemoryStorageTarget FIRST = new InMemoryStorageTarget();
    static final InMemoryStorageTarget SECOND = new InMemoryStorageTarget();
    static volatile boolean failRead;
    static volatile boolean failCommitted;

    record SpoolConfig(String name) {
    }

    /** A source that hands over one spooled file and records what it was told was committed. */
    static final class SpoolSource implements Source {
        @Override
        public Set<SourceCapability> capabilities() {
            return Set.of();
        }

        @Override
        public String describe() {
            return "a spool";
        }

        @Override
        public SourceSnapshot read(SourceReadContext context, EntrySink sink) throws IOException {
            if (failRead) {
                throw new IOException("the spool is gone");
            }
            byte[] segment = "segment".getBytes(StandardCharsets.UTF_8);
            sink.file(EntryMeta.file("wal/000000010000000000000001", 0600, Instant.EPOCH, segment.length),
                    () -> new ByteArrayInputStream(segment));
            return new SourceSnapshot(Instant.parse("2026-01-02T03:04:05Z"), Map.of("end-lsn", "0/1000000"));
        }

        @Override
        public void committed(SourceSnapshot snapshot) throws IOException {
            COMMITTED.add(snapshot);
            if (failCommitted) {
                throw new IOException("cannot delete the spooled segments");
            }
        }
    }

    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        COMMITTED.clear();
        failRead = false;
        failCommitted = false;
    }

    private DroverRuntime runtime() throws Exception {
        Path file = dir.resolve("drover.yaml");
        Files.writeString(file, """
                state-dir: %s/state
                encryption: { insecure-no-encryption: true }
                targets:
                  first: { type: mem, name: first }
                  second: { type: mem, name: second }
                sources:
                  wal: { type: spool, name: x }
                jobs:
                  wal-job: { source: wal, targets: [first, second] }
                """.formatted(dir));
        ConnectorRegistry registry = new ConnectorRegistry(
                List.of(TestConnectors.target("mem", TestConnectors.Named.class,
                        c -> c.name().equals("first") ? FIRST : SECOND)),
                List.of(TestConnectors.source("spool", SpoolConfig.class, c -> new SpoolSource())));
        Map<String, String> env = Map.of();
        DroverConfig config = new ConfigLoader(registry, env::get).load(file);
        DroverRuntime runtime = new DroverRuntime(config, registry, Clock.systemUTC(), env::get);
        new InitService(runtime).initialize(List.of("first", "second"), "test");
        return runtime;
    }

    @Test
    void aCommittedBackupIsReportedToItsSourceOnceWithItsSnapshot() throws Exception {
        try (DroverRuntime runtime = runtime()) {
            var outcome = new BackupService(runtime).run("wal-job", BackupProgress.NONE, "test");

            assertThat(COMMITTED).containsExactly(new SourceSnapshot(Instant.parse("2026-01-02T03:04:05Z"),
                    Map.of("end-lsn", "0/1000000")));
            assertThat(outcome.warnings()).isEmpty();
        }
    }

    @Test
    void aFailedBackupIsNotReported() throws Exception {
        try (DroverRuntime runtime = runtime()) {
            failRead = true;
            assertThatThrownBy(() -> new BackupService(runtime).run("wal-job", BackupProgress.NONE, "test"));
            failRead = false;
            // The second target cannot store the backup: it is not committed everywhere, so nothing is released.
            SECOND.failNextWrites(100);
            try {
                assertThatThrownBy(() -> new BackupService(runtime).run("wal-job", BackupProgress.NONE, "test"));
            } finally {
                SECOND.failNextWrites(0);
            }
            assertThat(COMMITTED).isEmpty();
        }
    }

    @Test
    void aSourceThatCannotReleaseLeavesAWarningAndACommittedBackup() throws Exception {
        try (DroverRuntime runtime = runtime()) {
            failCommitted = true;
            var outcome = new BackupService(runtime).run("wal-job", BackupProgress.NONE, "test");

            assertThat(COMMITTED).hasSize(1);
            assertThat(outcome.warnings()).singleElement().asString()
                    .contains("source 'wal' could not release").contains("cannot delete the spooled segments");
        }
    }
}
