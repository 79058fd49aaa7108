package io.drover.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.config.TargetLimits;
import io.drover.core.crypto.Decryption;
import io.drover.core.crypto.NoEncryption;
import io.drover.core.model.BackupId;
import io.drover.core.model.DataSize;
import io.drover.core.model.VerificationLevel;
import io.drover.core.repository.BackupProgress;
import io.drover.core.repository.BackupRequest;
import io.drover.core.repository.BackupWriter;
import io.drover.core.repository.Repository;
import io.drover.core.restore.RestoreOptions;
import io.drover.core.restore.RestoreResult;
import io.drover.core.restore.Restorer;
import io.drover.core.spi.EntryMeta;
import io.drover.core.spi.EntrySink;
import io.drover.core.spi.EntryType;
import io.drover.core.spi.Source;
import io.drover.core.spi.SourceCapability;
import io.drover.core.spi.SourceReadContext;
import io.drover.core.spi.SourceSnapshot;
import io.drover.core.spi.TestBytes;
import io.drover.core.testing.InMemoryStorageTarget;
import io.drover.core.verify.Verifier;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A backup, a restore and a verification through every decorator at its tightest setting. */
class DecoratedRepositoryTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final byte[] BIG = TestBytes.of(3 << 20, 11);

    private final Clock clock = Clock.systemUTC();
    private final FakeTime time = new FakeTime();
    private final InMemoryStorageTarget memory = new InMemoryStorageTarget();

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void backupAndRestoreWithTheLeastConcurrencyAndBrokenDownloads(@TempDir Path tmp) {
        TargetLimits limits = new TargetLimits(5, Duration.ofSeconds(1), Duration.ofSeconds(30),
                Optional.of(DataSize.ofMebibytes(10)), Optional.of(DataSize.ofMebibytes(20)), 2);
        Repository repo = Repository.initialize("offsite", StorageDecorators.wrap(memory, "offsite", limits, time, time),
                new NoEncryption(), List.of(), "test", clock);
        BackupId id = BackupId.generate(clock.instant());
        new BackupWriter(new BackupRequest(id, "job", List.of("svc"), "src", "test", clock.instant(), new NoEncryption(),
                List.of(), 3, 0, 1 << 20, Optional.empty(), Optional.empty(), "test"), List.of(repo), BackupProgress.NONE)
                .run(new OneFileSource(), clock);

        memory.failNextReads(3);
        RestoreResult result = new Restorer(repo, Decryption.none(), n -> { }).restore(id,
                new RestoreOptions(tmp.resolve("out"), Optional.empty(), false, Long.MAX_VALUE, 1000, false));

        assertThat(result.clean()).as(result.toString()).isTrue();
        assertThat(tmp.resolve("out/big.bin")).hasBinaryContent(BIG);
        assertThat(new Verifier(clock).verify(repo, id, VerificationLevel.DEEP, Decryption.none()).findings()).isEmpty();
        // 3 MiB uploaded at 10 MiB/s: the limiter made the backup wait on the fake clock
        assertThat(time.slept()).isGreaterThan(Duration.ofMillis(200));
        assertThat(memory.pendingWrites()).isZero();
    }

    private static final class OneFileSource implements Source {
        @Override
        public Set<SourceCapability> capabilities() {
            return Set.of();
        }

        @Override
        public String describe() {
            return "one file";
        }

        @Override
        public SourceSnapshot read(SourceReadContext context, EntrySink sink) throws IOException {
            sink.file(new EntryMeta("big.bin", EntryType.FILE, 0640, T0, BIG.length, -1, -1, "", "", "", "t"),
                    () -> new ByteArrayInputStream(BIG));
            return new SourceSnapshot(T0, Map.of());
        }
    }
}
