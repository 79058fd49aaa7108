package io.drover.core.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.crypto.AgeEncryption;
import io.drover.core.crypto.AgeKeys;
import io.drover.core.crypto.Decryption;
import io.drover.core.crypto.Encryption;
import io.drover.core.model.BackupId;
import io.drover.core.model.VerificationLevel;
import io.drover.core.restore.RestoreOptions;
import io.drover.core.restore.RestoreResult;
import io.drover.core.restore.Restorer;
import io.drover.core.spi.EntryMeta;
import io.drover.core.spi.EntrySink;
import io.drover.core.spi.EntryType;
import io.drover.core.spi.FileContent;
import io.drover.core.spi.Source;
import io.drover.core.spi.SourceCapability;
import io.drover.core.spi.SourceReadContext;
import io.drover.core.spi.SourceSnapshot;
import io.drover.core.verify.VerificationReport;
import io.drover.core.verify.Verifier;
import io.drover.core.testing.InMemoryStorageTarget;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryRoundTripTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00.123456789Z");
    private final Clock clock = Clock.systemUTC();

    /** A source that emits files from a map; token = content hash so changes are detected. */
    private static class MapSource implements Source {
        final Map<String, byte[]> files = new LinkedHashMap<>();
        boolean unknownLength;

        @Override
        public Set<SourceCapability> capabilities() {
            return Set.of(SourceCapability.FILE_LEVEL_INCREMENTAL);
        }

        @Override
        public String describe() {
            return "test map";
        }

        @Override
        public SourceSnapshot read(SourceReadContext context, EntrySink sink) throws IOException {
            sink.directory(EntryMeta.directory("data", 0750, T0));
            sink.symlink(EntryMeta.symlink("data/link", T0, "a.txt"));
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                byte[] content = e.getValue();
                EntryMeta meta = new EntryMeta("data/" + e.getKey(), EntryType.FILE, 0640, T0,
                        unknownLength ? -1 : content.length, -1, -1, "", "", "", "tok-" + java.util.Arrays.hashCode(content));
                sink.file(meta, () -> new ByteArrayInputStream(content));
            }
            return new SourceSnapshot(T0, Map.of());
        }
    }

    private BackupRequest request(BackupId id, Encryption encryption, Optional<ParentBackup> parent, long partSize) {
        return new BackupRequest(id, "job", List.of("svc"), "src", "map", clock.instant(), encryption, List.of(), 3, 0,
                partSize, parent, Optional.empty(), "test");
    }

    @Test
    void fullAndIncrementalRoundTripWithAge(@TempDir Path tmp) throws Exception {
        var key = AgeKeys.generate();
        Encryption encryption = new AgeEncryption(List.of(key.recipient()));
        Decryption decryption = Decryption.withIdentities(List.of(key.identity()));
        Repository repo = Repository.initialize("t", new InMemoryStorageTarget(), encryption, List.of(key.recipient()), "test", clock);

        MapSource source = new MapSource();
        Random random = new Random(1);
        byte[] big = new byte[3 << 20];
        random.nextBytes(big);
        source.files.put("a.txt", "hello".getBytes(StandardCharsets.UTF_8));
        source.files.put("big.bin", big);
        for (int i = 0; i < 3; i++) {
            byte[] more = new byte[1 << 20];
            random.nextBytes(more);
            source.files.put("more-" + i, more);
        }
        source.files.put("empty", new byte[0]);
        BackupId first = BackupId.generate(Instant.parse("2026-11-27T10:00:00Z"));
        Manifest full = new BackupWriter(request(first, encryption, Optional.empty(), 1 << 20), List.of(repo), BackupProgress.NONE)
                .run(source, clock).manifest();
        assertThat(full.parts()).hasSizeGreaterThan(1);

        source.files.put("a.txt", "changed".getBytes(StandardCharsets.UTF_8));
        source.files.remove("empty");
        source.files.put("new.txt", "new".getBytes(StandardCharsets.UTF_8));
        Map<String, IndexEntry> parentIndex = ObjectReader.readIndex(repo, full, decryption);
        BackupId second = BackupId.generate(Instant.parse("2026-11-27T11:00:00Z"));
        BackupWriter.Result incremental = new BackupWriter(request(second, encryption, Optional.of(new ParentBackup(full, parentIndex)),
                1 << 20), List.of(repo), BackupProgress.NONE).run(source, clock);
        assertThat(incremental.manifest().stats().unchangedFiles()).isEqualTo(4);
        assertThat(incremental.manifest().stats().removedFiles()).isEqualTo(1);

        RestoreResult result = new Restorer(repo, decryption, n -> { }).restore(second,
                new RestoreOptions(tmp.resolve("out"), Optional.empty(), false, Long.MAX_VALUE, 1000, false));
        assertThat(result.clean()).as(result.toString()).isTrue();
        assertThat(Files.readString(tmp.resolve("out/data/a.txt"))).isEqualTo("changed");
        assertThat(Files.readAllBytes(tmp.resolve("out/data/big.bin"))).isEqualTo(big);
        assertThat(tmp.resolve("out/data/empty")).doesNotExist();
        assertThat(Files.readSymbolicLink(tmp.resolve("out/data/link"))).isEqualTo(Path.of("a.txt"));
        assertThat(Files.getLastModifiedTime(tmp.resolve("out/data/a.txt")).toInstant()).isEqualTo(T0);

        Verifier verifier = new Verifier(clock);
        for (VerificationLevel level : VerificationLevel.values()) {
            VerificationReport report = verifier.verify(repo, second, level, decryption);
            assertThat(report.findings()).as(level.name()).isEmpty();
        }
    }

    @Test
    void streamOfUnknownLengthIsChunked(@TempDir Path tmp) throws Exception {
        Repository repo = Repository.initialize("t", new InMemoryStorageTarget(), new io.drover.core.crypto.NoEncryption(),
                List.of(), "test", clock);
        MapSource source = new MapSource();
        source.unknownLength = true;
        byte[] big = new byte[BackupWriter.STREAM_CHUNK * 2 + 5];
        new Random(2).nextBytes(big);
        source.files.put("a.txt", "x".getBytes(StandardCharsets.UTF_8));
        source.files.put("dump.sql", big);
        BackupId id = BackupId.generate(clock.instant());
        new BackupWriter(request(id, new io.drover.core.crypto.NoEncryption(), Optional.empty(), 256 << 20), List.of(repo),
                BackupProgress.NONE).run(source, clock);
        RestoreResult result = new Restorer(repo, Decryption.none(), n -> { }).restore(id,
                new RestoreOptions(tmp.resolve("out"), Optional.of("data/dump.sql"), false, Long.MAX_VALUE, 1000, false));
        assertThat(result.clean()).as(result.toString()).isTrue();
        assertThat(Files.readAllBytes(tmp.resolve("out/data/dump.sql"))).isEqualTo(big);
        assertThat(tmp.resolve("out/data/a.txt")).doesNotExist();
    }

    @Test
    void aFailedWriteCommitsNothing(@TempDir Path tmp) throws Exception {
        InMemoryStorageTarget target = new InMemoryStorageTarget();
        Repository repo = Repository.initialize("t", target, new io.drover.core.crypto.NoEncryption(), List.of(), "test", clock);
        MapSource source = new MapSource();
        source.files.put("a.txt", "hello".getBytes(StandardCharsets.UTF_8));
        target.failNextWrites(1);
        BackupId id = BackupId.generate(clock.instant());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BackupWriter(request(id, new io.drover.core.crypto.NoEncryption(),
                Optional.empty(), 1 << 20), List.of(repo), BackupProgress.NONE).run(source, clock))
                .isInstanceOf(io.drover.core.error.DroverException.class);
        assertThat(repo.backupIds()).isEmpty();
        assertThat(target.pendingWrites()).isZero();
    }

    @Test
    void aPartFailingWhileTheNextIsWrittenFailsTheBackupAndLeavesNothingOpen() throws Exception {
        InMemoryStorageTarget target = new InMemoryStorageTarget();
        Repository repo = Repository.initialize("t", target, new io.drover.core.crypto.NoEncryption(), List.of(), "test", clock);
        MapSource source = new MapSource();
        Random random = new Random(7);
        for (int i = 0; i < 6; i++) {
            byte[] content = new byte[700 << 10];
            random.nextBytes(content);
            source.files.put("f" + i + ".bin", content);
        }
        target.failNextWrites(1); // part 1's commit, which runs while part 2 is being written
        BackupId id = BackupId.generate(clock.instant());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BackupWriter(request(id, new io.drover.core.crypto.NoEncryption(),
                Optional.empty(), 1 << 20), List.of(repo), BackupProgress.NONE).run(source, clock))
                .isInstanceOf(io.drover.core.error.DroverException.class)
                .hasMessageContaining(RepositoryLayout.partKey(id, 1, new io.drover.core.crypto.NoEncryption()))
                .hasMessageContaining("injected write failure");
        assertThat(repo.backupIds()).isEmpty();
        assertThat(target.pendingWrites()).isZero();
        // Without the fault the same source makes several parts, in order, and restores.
        BackupId next = BackupId.generate(clock.instant().plusSeconds(1));
        Manifest manifest = new BackupWriter(request(next, new io.drover.core.crypto.NoEncryption(), Optional.empty(), 1 << 20),
                List.of(repo), BackupProgress.NONE).run(source, clock).manifest();
        assertThat(manifest.parts()).hasSizeGreaterThan(2);
        assertThat(manifest.parts()).extracting(StoredObject::number).isSorted();
        assertThat(new Verifier(clock).verify(repo, next, VerificationLevel.RESTORE, Decryption.none()).passed()).isTrue();
    }

    @Test
    void deepVerificationNamesTheDamagedObject(@TempDir Path tmp) throws Exception {
        InMemoryStorageTarget target = new InMemoryStorageTarget();
        Repository repo = Repository.initialize("t", target, new io.drover.core.crypto.NoEncryption(), List.of(), "test", clock);
        MapSource source = new MapSource();
        source.files.put("a.txt", "hello".getBytes(StandardCharsets.UTF_8));
        BackupId id = BackupId.generate(clock.instant());
        Manifest manifest = new BackupWriter(request(id, new io.drover.core.crypto.NoEncryption(), Optional.empty(), 1 << 20),
                List.of(repo), BackupProgress.NONE).run(source, clock).manifest();
        String part = manifest.parts().get(0).key();
        target.corrupt(part);
        Verifier verifier = new Verifier(clock);
        assertThat(verifier.verify(repo, id, VerificationLevel.QUICK, Decryption.none()).passed()).isTrue();
        assertThat(verifier.verify(repo, id, VerificationLevel.DEEP, Decryption.none()).findings())
                .singleElement().asString().contains(part).contains("SHA-256");
        assertThat(verifier.verify(repo, id, VerificationLevel.RESTORE, Decryption.none()).passed()).isFalse();
        target.truncate(part, 10);
        assertThat(verifier.verify(repo, id, VerificationLevel.QUICK, Decryption.none()).findings())
                .singleElement().asString().contains(part).contains("truncated");
    }

    @Test
    void aFileThatChangesWhileReadIsKeptWithAWarningInTheIndex() throws Exception {
        InMemoryStorageTarget target = new InMemoryStorageTarget();
        Repository repo = Repository.initialize("t", target, new io.drover.core.crypto.NoEncryption(), List.of(), "test", clock);
        Source source = new MapSource() {
            @Override
            public SourceSnapshot read(SourceReadContext context, EntrySink sink) throws IOException {
                sink.file(EntryMeta.file("log.txt", 0644, T0, 3), new FileContent() {
                    @Override
                    public java.io.InputStream open() {
                        return new ByteArrayInputStream("abcdef".getBytes(StandardCharsets.UTF_8));
                    }

                    @Override
                    public Optional<String> changedWhileReading() {
                        return Optional.of("size changed from 3 to 6 bytes");
                    }
                });
                sink.file(EntryMeta.file("gone.txt", 0644, T0, 3), () -> {
                    throw new java.nio.file.NoSuchFileException("gone.txt");
                });
                return new SourceSnapshot(T0, Map.of());
            }
        };
        BackupId id = BackupId.generate(clock.instant());
        BackupWriter.Result result = new BackupWriter(request(id, new io.drover.core.crypto.NoEncryption(), Optional.empty(), 1 << 20),
                List.of(repo), BackupProgress.NONE).run(source, clock);
        assertThat(result.manifest().stats().warnings()).isEqualTo(3);
        assertThat(result.manifest().stats().files()).isEqualTo(1);
        Map<String, IndexEntry> index = ObjectReader.readIndex(repo, result.manifest(), Decryption.none());
        assertThat(index).containsOnlyKeys("log.txt");
        assertThat(index.get("log.txt").warning()).contains("grew while it was read").contains("size changed from 3 to 6 bytes");
        assertThat(result.warnings()).anySatisfy(w -> assertThat(w).startsWith("gone.txt: cannot be read"));
    }

    @Test
    void everyTargetOfAJobGetsTheSameRecoveryPoint() throws Exception {
        InMemoryStorageTarget near = new InMemoryStorageTarget();
        InMemoryStorageTarget far = new InMemoryStorageTarget();
        var encryption = new io.drover.core.crypto.NoEncryption();
        Repository first = Repository.initialize("near", near, encryption, List.of(), "test", clock);
        Repository second = Repository.initialize("far", far, encryption, List.of(), "test", clock);
        MapSource source = new MapSource();
        source.files.put("a.txt", "hello".getBytes(StandardCharsets.UTF_8));
        BackupId id = BackupId.generate(clock.instant());
        Manifest manifest = new BackupWriter(request(id, encryption, Optional.empty(), 1 << 20), List.of(first, second),
                BackupProgress.NONE).run(source, clock).manifest();
        assertThat(first.backupIds()).containsExactly(id);
        assertThat(second.backupIds()).containsExactly(id);
        for (StoredObject object : manifest.objects()) {
            assertThat(far.bytes(object.key())).isEqualTo(near.bytes(object.key()));
        }
        Verifier verifier = new Verifier(clock);
        assertThat(verifier.verify(second, id, VerificationLevel.RESTORE, Decryption.none()).passed()).isTrue();
    }

    @Test
    void aTargetFailingMidBackupCommitsTheBackupNowhere() throws Exception {
        InMemoryStorageTarget near = new InMemoryStorageTarget();
        InMemoryStorageTarget far = new InMemoryStorageTarget();
        var encryption = new io.drover.core.crypto.NoEncryption();
        Repository first = Repository.initialize("near", near, encryption, List.of(), "test", clock);
        Repository second = Repository.initialize("far", far, encryption, List.of(), "test", clock);
        MapSource source = new MapSource();
        source.files.put("a.txt", "hello".getBytes(StandardCharsets.UTF_8));
        far.failNextWrites(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BackupWriter(request(BackupId.generate(clock.instant()),
                encryption, Optional.empty(), 1 << 20), List.of(first, second), BackupProgress.NONE).run(source, clock))
                .isInstanceOf(io.drover.core.error.DroverException.class);
        assertThat(first.backupIds()).isEmpty();
        assertThat(second.backupIds()).isEmpty();
    }
}
