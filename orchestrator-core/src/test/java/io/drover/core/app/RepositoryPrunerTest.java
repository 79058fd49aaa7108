package io.drover.core.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.catalog.Catalog;
import io.drover.core.catalog.CatalogSettings;
import io.drover.core.catalog.VerificationRecord;
import io.drover.core.config.PruneConfig;
import io.drover.core.config.RetentionConfig;
import io.drover.core.crypto.Decryption;
import io.drover.core.crypto.NoEncryption;
import io.drover.core.model.BackupId;
import io.drover.core.model.VerificationLevel;
import io.drover.core.repository.BackupProgress;
import io.drover.core.repository.BackupRequest;
import io.drover.core.repository.BackupWriter;
import io.drover.core.repository.Manifest;
import io.drover.core.repository.ObjectReader;
import io.drover.core.repository.ParentBackup;
import io.drover.core.repository.Repository;
import io.drover.core.repository.RepositoryLayout;
import io.drover.core.restore.RestoreOptions;
import io.drover.core.restore.Restorer;
import io.drover.core.retention.RetentionDecision;
import io.drover.core.retention.RetentionPolicy;
import io.drover.core.spi.EntryMeta;
import io.drover.core.spi.EntrySink;
import io.drover.core.spi.EntryType;
import io.drover.core.spi.ObjectOutput;
import io.drover.core.spi.Source;
import io.drover.core.spi.SourceCapability;
import io.drover.core.spi.SourceReadContext;
import io.drover.core.spi.SourceSnapshot;
import io.drover.core.spi.StorageCapability;
import io.drover.core.testing.InMemoryStorageTarget;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prune against an in-memory repository: what goes, what stays, and that what stays still restores. */
class RepositoryPrunerTest {
    private static final Instant DAY0 = Instant.parse("2026-11-01T02:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-11T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final RetentionPolicy KEEP_LAST_2 = new RetentionPolicy(
            new RetentionConfig(2, 0, 0, 0, 0, 0, Optional.empty()), ZoneOffset.UTC, CLOCK);

    @TempDir
    Path dir;

    private InMemoryStorageTarget target;
    private Repository repository;
    private Catalog catalog;
    private final List<Manifest> backups = new ArrayList<>();

    /** One big unchanged file (incrementals point at the full's part for it) and one that changes daily. */
    private record DaySource(int day, byte[] big) implements Source {
        @Override
        public java.util.Set<SourceCapability> capabilities() {
            return java.util.Set.of(SourceCapability.FILE_LEVEL_INCREMENTAL);
        }

        @Override
        public String describe() {
            return "day " + day;
        }

        @Override
        public SourceSnapshot read(SourceReadContext context, EntrySink sink) throws java.io.IOException {
            file(sink, "big.bin", big, "big");
            byte[] today = ("day " + day).getBytes(StandardCharsets.UTF_8);
            file(sink, "day.txt", today, "day-" + day);
            return new SourceSnapshot(DAY0.plus(Duration.ofDays(day)), Map.of());
        }

        private static void file(EntrySink sink, String name, byte[] content, String token) throws java.io.IOException {
            sink.file(new EntryMeta(name, EntryType.FILE, 0640, DAY0, content.length, -1, -1, "", "", "", token),
                    () -> new ByteArrayInputStream(content));
        }
    }

    @BeforeEach
    void setUp() {
        catalog = Catalog.open(new CatalogSettings(Optional.empty(), Optional.empty(), Optional.empty(), dir.resolve("state")));
    }

    @AfterEach
    void tearDown() {
        catalog.close();
    }

    /** Ten daily backups; a full one every third day. */
    private void tenDailyBackups(InMemoryStorageTarget storage) {
        target = storage;
        repository = Repository.initialize("local", target, new NoEncryption(), List.of(), "test", CLOCK);
        byte[] big = new byte[200_000];
        new Random(7).nextBytes(big);
        for (int day = 0; day < 10; day++) {
            Instant at = DAY0.plus(Duration.ofDays(day));
            Optional<ParentBackup> parent = day % 3 == 0 ? Optional.empty() : Optional.of(new ParentBackup(backups.get(day - 1),
                    ObjectReader.readIndex(repository, backups.get(day - 1), Decryption.none())));
            BackupRequest request = new BackupRequest(BackupId.generate(at), "job", List.of(), "src", "test", at,
                    new NoEncryption(), List.of(), 3, 1, 1 << 20, parent, Optional.empty(), "test");
            Manifest manifest = new BackupWriter(request, List.of(repository), BackupProgress.NONE)
                    .run(new DaySource(day, big), Clock.fixed(at.plusSeconds(60), ZoneOffset.UTC)).manifest();
            CatalogSync.record(catalog, manifest, List.of(repository), manifest.finishedAt());
            backups.add(manifest);
        }
    }

    private RepositoryPruner pruner(PruneConfig settings) {
        return new RepositoryPruner(repository, catalog, settings, CLOCK);
    }

    private boolean hasObjects(Manifest backup) throws Exception {
        return target.stat(RepositoryLayout.manifestKey(backup.id())).isPresent()
                || !target.list(RepositoryLayout.backupPrefix(backup.id())).isEmpty();
    }

    @Test
    void forgottenPointsGoAndEveryKeptChainStillRestores() throws Exception {
        tenDailyBackups(new InMemoryStorageTarget());
        Instant verifiedAt = NOW.minusSeconds(3600);
        catalog.recordVerification(new VerificationRecord(0, backups.get(4).id(), "local", VerificationLevel.DEEP, verifiedAt,
                verifiedAt, VerificationRecord.Outcome.PASSED, List.of(), 1, 1));

        PruneReport.JobPrune result = pruner(PruneConfig.defaults()).pruneJob("job", KEEP_LAST_2, false, "tester");

        // keep-last 2 keeps days 9 and 8; 8 needs 7 and 6; day 4 is the newest verified and needs 3
        List<Integer> kept = List.of(3, 4, 6, 7, 8, 9);
        assertThat(result.decisions()).hasSize(10);
        assertThat(result.forgotten()).isEqualTo(4);
        for (int day = 0; day < 10; day++) {
            Manifest backup = backups.get(day);
            assertThat(hasObjects(backup)).as("day %d", day).isEqualTo(kept.contains(day));
            assertThat(catalog.findRecoveryPoint(backup.id()).isPresent()).as("catalog day %d", day).isEqualTo(kept.contains(day));
        }
        assertThat(repository.backupIds()).containsExactlyElementsOf(kept.stream().map(d -> backups.get(d).id()).toList());
        assertThat(catalog.auditEvents(100)).filteredOn(e -> e.action().equals("prune")).hasSize(4)
                .allSatisfy(e -> assertThat(e.details()).contains("job job on target local"));

        for (int day : kept) {
            BackupId id = backups.get(day).id();
            assertThat(new io.drover.core.verify.Verifier(CLOCK).verify(repository, id, VerificationLevel.RESTORE,
                    Decryption.none()).findings()).as("day %d", day).isEmpty();
            Path out = dir.resolve("restore-" + day);
            assertThat(new Restorer(repository, Decryption.none(), n -> { }).restore(id,
                    new RestoreOptions(out, Optional.empty(), false, Long.MAX_VALUE, 1000, false)).clean()).isTrue();
            assertThat(Files.readString(out.resolve("day.txt"))).isEqualTo("day " + day);
            assertThat(Files.size(out.resolve("big.bin"))).isEqualTo(200_000);
        }
    }

    @Test
    void keepForKeepsTheWalArchiveEveryKeptBaseBackupNeeds() throws Exception {
        tenDailyBackups(new InMemoryStorageTarget());
        // A WAL job archiving at noon every day (a file source stands in for the WAL segments).
        List<Manifest> wal = new ArrayList<>();
        for (int day = 0; day < 10; day++) {
            Instant at = DAY0.plus(Duration.ofDays(day)).plus(Duration.ofHours(10));
            BackupRequest request = new BackupRequest(BackupId.generate(at), "wal", List.of(), "src", "test", at,
                    new NoEncryption(), List.of(), 3, 1, 1 << 20, Optional.empty(), Optional.empty(), "test");
            Manifest manifest = new BackupWriter(request, List.of(repository), BackupProgress.NONE)
                    .run(new DaySource(day, new byte[10]), Clock.fixed(at.plusSeconds(60), ZoneOffset.UTC)).manifest();
            wal.add(manifest);
        }
        RetentionPolicy walPolicy = new RetentionPolicy(new RetentionConfig(0, 0, 0, 0, 0, 0, Optional.empty(),
                Optional.of("job")), ZoneOffset.UTC, CLOCK);
        RepositoryPruner pruner = pruner(PruneConfig.defaults());

        // keep-last 2 of the base job keeps days 8 and 9 and the chain they build on (full of day 6, 7):
        // the WAL since day 6's base backup started, and the archive just before it, stay.
        Map<BackupId, String> needed = pruner.neededBy("wal", "job", Optional.of(KEEP_LAST_2));
        PruneReport.JobPrune report = pruner.pruneJob("wal", walPolicy, needed, false, "test");

        List<BackupId> kept = report.decisions().stream().filter(d -> d.keep()).map(d -> d.point().id()).toList();
        assertThat(kept).containsExactlyInAnyOrderElementsOf(wal.subList(5, 10).stream().map(Manifest::id).toList());
        assertThat(report.decisions()).filteredOn(d -> d.keep())
                .allSatisfy(d -> assertThat(d.reasons()).anyMatch(r -> r.startsWith("needed by job " + backups.get(6).id())));
        for (int day = 0; day < 5; day++) {
            assertThat(hasObjects(wal.get(day))).as("wal of day %d", day).isFalse();
        }
    }

    @Test
    void dryRunDecidesTheSameAndDeletesNothing() throws Exception {
        tenDailyBackups(new InMemoryStorageTarget());
        int before = target.list("").size();
        PruneReport.JobPrune dry = pruner(PruneConfig.defaults()).pruneJob("job", KEEP_LAST_2, true, "tester");
        assertThat(target.list("")).hasSize(before);
        assertThat(catalog.auditEvents(100)).noneMatch(e -> e.action().startsWith("prune"));
        PruneReport.JobPrune real = pruner(PruneConfig.defaults()).pruneJob("job", KEEP_LAST_2, false, "tester");
        assertThat(real.decisions()).isEqualTo(dry.decisions());
        assertThat(dry.decisions().stream().filter(RetentionDecision::keep).map(d -> d.point().id()))
                .containsExactlyInAnyOrder(backups.get(9).id(), backups.get(8).id(), backups.get(7).id(), backups.get(6).id());
    }

    @Test
    void orphansAreRemovedOnlyAfterTheGracePeriod() throws Exception {
        tenDailyBackups(new InMemoryStorageTarget());
        BackupId crashedLongAgo = BackupId.generate(NOW.minus(Duration.ofHours(48)));
        BackupId maybeRunning = BackupId.generate(NOW.minus(Duration.ofHours(2)));
        for (BackupId id : List.of(crashedLongAgo, maybeRunning)) {
            try (ObjectOutput out = target.create(RepositoryLayout.backupPrefix(id) + "part-000001.tar.zst")) {
                out.write(new byte[] {1, 2, 3});
                out.commit();
            }
        }
        RepositoryPruner pruner = pruner(PruneConfig.defaults());
        assertThat(pruner.pruneOrphans(true, "tester")).extracting(PruneReport.Orphan::id, PruneReport.Orphan::remove)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(crashedLongAgo, true),
                        org.assertj.core.groups.Tuple.tuple(maybeRunning, false));
        assertThat(target.list(RepositoryLayout.backupPrefix(crashedLongAgo))).hasSize(1);

        List<PruneReport.Orphan> orphans = pruner.pruneOrphans(false, "tester");
        assertThat(orphans).hasSize(2);
        assertThat(target.list(RepositoryLayout.backupPrefix(crashedLongAgo))).isEmpty();
        assertThat(target.list(RepositoryLayout.backupPrefix(maybeRunning))).hasSize(1);
        assertThat(orphans.get(1).reason()).contains("grace period");
        for (Manifest backup : backups) {
            assertThat(hasObjects(backup)).isTrue();
        }
        assertThat(catalog.auditEvents(100)).filteredOn(e -> e.action().equals("prune-orphan")).singleElement()
                .satisfies(e -> assertThat(e.subject()).isEqualTo(crashedLongAgo.value()));
    }

    @Test
    void objectLockKeepsWhatCannotBeDeletedYet() throws Exception {
        tenDailyBackups(new InMemoryStorageTarget(EnumSet.of(StorageCapability.ATOMIC_CREATE, StorageCapability.OBJECT_LOCK)));
        PruneReport.JobPrune unknown = pruner(PruneConfig.defaults()).pruneJob("job", KEEP_LAST_2, false, "tester");
        assertThat(unknown.forgotten()).isZero();
        assertThat(unknown.decisions().get(9).reasons()).containsExactly("object lock (lock period unknown: set prune.object-lock-days)",
                "parent of kept " + backups.get(1).id());
        for (Manifest backup : backups) {
            assertThat(hasObjects(backup)).isTrue();
        }

        // locked for 7 days: days 0-2 (finished before Nov 4) may go; day 3 is locked, and so is its chain
        PruneReport.JobPrune sevenDays = pruner(new PruneConfig(Duration.ofHours(24), Optional.of(7)))
                .pruneJob("job", KEEP_LAST_2, false, "tester");
        assertThat(sevenDays.forgotten()).isEqualTo(3);
        for (int day = 0; day < 10; day++) {
            assertThat(hasObjects(backups.get(day))).as("day %d", day).isEqualTo(day >= 3);
        }
        assertThat(sevenDays.decisions().get(6).reasons()).first().asString().startsWith("object lock until 2026-11-11");
    }
}
