package io.drover.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.model.BackupId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules of {@link LoadableSource} and {@link ScratchDatabase} as tests. Every database
 * connector and the in-memory fake extend this class. The fixture is a populated database that
 * the source reads, with the canary switched on.
 */
public abstract class LoadableSourceContract {

    @TempDir
    protected Path temp;

    /** A source on the populated fixture database, canary on; the same content on every call. */
    protected abstract LoadableSource source() throws Exception;

    /** Checks that hold on the fixture's data, e.g. a minimum row count and a query. */
    protected abstract List<ValidationCheck> checksThatHold();

    /** Fails the test unless the scratch database described as {@code describe} is gone. */
    protected abstract void assertRemoved(String describe) throws Exception;

    /** Whether {@code database} exists on the fixture's server. */
    protected abstract boolean databaseExists(String database) throws Exception;

    /** Drops {@code database} on the fixture's server, if it exists. */
    protected abstract void dropDatabase(String database) throws Exception;

    /** The password the source uses, which must never show in a process's argv or environment. */
    protected abstract Optional<String> password();

    /** A database name unique to this test run. */
    protected String uniqueDatabase(String prefix) {
        return prefix + "_" + Long.toString(System.nanoTime(), 36);
    }

    private record Backup(Path files, SourceSnapshot snapshot) {
    }

    private Backup backUp(LoadableSource source) throws IOException {
        Path files = Files.createDirectories(temp.resolve("restored-" + System.nanoTime()));
        DirectorySink sink = new DirectorySink(files);
        SourceSnapshot snapshot = source.read(new SourceReadContext(BackupId.generate(Instant.now()), "contract",
                Clock.systemUTC()), sink);
        assertThat(sink.warnings()).isEmpty();
        return new Backup(files, snapshot);
    }

    private ScratchContext scratchContext(Optional<LoadableSource> server, Backup backup) throws IOException {
        return new ScratchContext(Files.createDirectories(temp.resolve("scratch-" + System.nanoTime())), server,
                "c" + Long.toString(System.nanoTime(), 36), Duration.ofMinutes(5), backup.snapshot().position());
    }

    @Test
    void aBackupLoadsIntoATemporaryInstanceWhereItsChecksAndItsCanaryHold() throws Exception {
        try (LoadableSource source = source()) {
            Backup backup = backUp(source);
            Instant canary = Instant.parse(backup.snapshot().position().get(SourceSnapshot.CANARY_AT));
            assertThat(canary).isBeforeOrEqualTo(backup.snapshot().capturedAt().plusSeconds(1));

            String describe;
            try (ScratchDatabase scratch = source.openScratch(scratchContext(Optional.empty(), backup))) {
                describe = scratch.describe();
                scratch.load(backup.files());
                for (ValidationCheck check : checksThatHold()) {
                    CheckResult result = scratch.run(check);
                    assertThat(result.passed()).as("%s: %s", result.check(), result.detail()).isTrue();
                    assertThat(result.check()).isEqualTo(check.name());
                }
                CheckResult proven = scratch.run(new ValidationCheck.Canary(Optional.of(canary)));
                assertThat(proven.passed()).as(proven.detail()).isTrue();
                assertThat(proven.provenAt()).contains(canary);
            }
            assertRemoved(describe);
        }
    }

    @Test
    void aScratchDatabaseOnAServerIsNewAndDroppedAfterwards() throws Exception {
        try (LoadableSource source = source(); LoadableSource server = source()) {
            Backup backup = backUp(source);
            String describe;
            try (ScratchDatabase scratch = source.openScratch(scratchContext(Optional.of(server), backup))) {
                describe = scratch.describe();
                assertThat(describe).doesNotContain(source.describe());
                scratch.load(backup.files());
                for (ValidationCheck check : checksThatHold()) {
                    assertThat(scratch.run(check).passed()).as(check.name()).isTrue();
                }
            }
            assertRemoved(describe);
        }
    }

    @Test
    void failedChecksNameThemselvesAndSayWhatWasFound() throws Exception {
        try (LoadableSource source = source(); LoadableSource server = source()) {
            Backup backup = backUp(source);
            Instant canary = Instant.parse(backup.snapshot().position().get(SourceSnapshot.CANARY_AT));
            try (ScratchDatabase scratch = source.openScratch(scratchContext(Optional.of(server), backup))) {
                scratch.load(backup.files());
                List<ValidationCheck> failing = List.of(
                        new ValidationCheck.MinRows("drover_no_such_table", 1),
                        new ValidationCheck.Sql("select 1 = 2", Optional.empty()),
                        new ValidationCheck.Sql("select 41", Optional.of("42")),
                        new ValidationCheck.Sql("this is not sql", Optional.empty()),
                        new ValidationCheck.Canary(Optional.of(canary.plusSeconds(3600))),
                        new ValidationCheck.Canary(Optional.empty()));
                for (ValidationCheck check : failing) {
                    CheckResult result = scratch.run(check);
                    assertThat(result.passed()).as(check.name()).isFalse();
                    assertThat(result.check()).isEqualTo(check.name());
                    assertThat(result.detail()).as(check.name()).isNotBlank();
                }
                CheckResult bigger = scratch.run(new ValidationCheck.MinRows(firstTableOf(checksThatHold()), Long.MAX_VALUE));
                assertThat(bigger.passed()).isFalse();
                assertThat(bigger.detail()).containsPattern("\\d+ rows");
            }
        }
    }

    private static String firstTableOf(List<ValidationCheck> checks) {
        return checks.stream().filter(ValidationCheck.MinRows.class::isInstance).map(c -> ((ValidationCheck.MinRows) c).table())
                .findFirst().orElseThrow(() -> new AssertionError("checksThatHold() must include a MinRows check"));
    }

    @Test
    void aTruncatedDumpFailsToLoadWithTheLoadersMessageAndTheScratchIsStillRemoved() throws Exception {
        try (LoadableSource source = source()) {
            Backup backup = backUp(source);
            Path largest;
            try (Stream<Path> files = Files.walk(backup.files())) {
                largest = files.filter(Files::isRegularFile).max(Comparator.comparingLong(LoadableSourceContract::size))
                        .orElseThrow();
            }
            byte[] content = Files.readAllBytes(largest);
            Files.write(largest, java.util.Arrays.copyOf(content, content.length / 2));
            String describe;
            try (ScratchDatabase scratch = source.openScratch(scratchContext(Optional.empty(), backup))) {
                describe = scratch.describe();
                assertThatThrownBy(() -> scratch.load(backup.files())).isInstanceOf(IOException.class)
                        .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
            }
            assertRemoved(describe);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void loadIntoCreatesTheDatabaseAndReplacesOneWithTablesOnlyWhenAsked() throws Exception {
        String database = uniqueDatabase("drover_load");
        try (LoadableSource source = source()) {
            Backup backup = backUp(source);
            assertThat(source.loadInto(backup.files(), database, false)).contains(database);
            assertThat(databaseExists(database)).isTrue();
            assertThatThrownBy(() -> source.loadInto(backup.files(), database, false)).isInstanceOf(IOException.class)
                    .hasMessageContaining(database);
            assertThat(source.loadInto(backup.files(), database, true)).contains(database);
        } finally {
            dropDatabase(database);
        }
    }

    @Test
    void thePasswordReachesNoChildProcessArgumentsOrEnvironment() throws Exception {
        Optional<String> password = password();
        if (password.isEmpty()) {
            return; // the fake has no processes
        }
        List<String> sightings = new ArrayList<>();
        String database = uniqueDatabase("drover_secret");
        try (LoadableSource source = source(); SecretScanner scanner = new SecretScanner(password.get())) {
            Backup backup = backUp(source);
            source.loadInto(backup.files(), database, false);
            try (ScratchDatabase scratch = source.openScratch(scratchContext(Optional.of(source), backup))) {
                scratch.load(backup.files());
            }
            scanner.close();
            assertThat(scanner.scans()).isPositive();
            sightings.addAll(scanner.sightings());
        } finally {
            dropDatabase(database);
        }
        assertThat(sightings).isEmpty();
    }
}
