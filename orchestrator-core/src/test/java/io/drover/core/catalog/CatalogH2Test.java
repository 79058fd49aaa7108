package io.drover.core.catalog;

import static io.drover.core.catalog.TestRecords.copy;
import static io.drover.core.catalog.TestRecords.id;
import static io.drover.core.catalog.TestRecords.point;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.model.BackupId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog contract on the embedded H2 file database, plus sharing it between processes. */
class CatalogH2Test extends CatalogContract {
    @TempDir
    Path stateDir;

    @Override
    protected CatalogSettings settings() {
        return CatalogSettings.embedded(stateDir);
    }

    @Test
    void embeddedDatabaseLivesInAPrivateDirectoryUnderTheStateDir() throws IOException {
        Path dir = stateDir.resolve("catalog");
        assertThat(dir.resolve("drover.mv.db")).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(catalog.redactedUrl()).startsWith("jdbc:h2:file:" + dir.toAbsolutePath().resolve("drover"))
                .contains("AUTO_SERVER=TRUE").contains("MODE=PostgreSQL");
    }

    @Test
    void twoCatalogsOnTheSameFileSeeEachOthersWrites() {
        try (Catalog second = Catalog.open(settings())) {
            BackupId a = id(1);
            BackupId b = id(2);
            catalog.upsertRecoveryPoint(point(a, "db"));
            second.upsertRecoveryPoint(point(b, "db"));
            second.upsertCopy(copy(a, "local"));
            assertThat(catalog.findRecoveryPoint(b)).isPresent();
            assertThat(catalog.copies(a)).hasSize(1);
            assertThat(second.findRecoveryPoint(a)).isPresent();
        }
        assertThat(catalog.listRecoveryPoints(RecoveryPointQuery.newest(10))).hasSize(2);
    }

    @Test
    void anotherProcessSharesTheOpenDatabase() throws Exception {
        BackupId mine = id(1);
        BackupId theirs = id(2);
        catalog.upsertRecoveryPoint(point(mine, "db"));

        runChild(mine, theirs);
        assertThat(catalog.findRecoveryPoint(theirs)).isPresent();
    }

    @Test
    void aDurableRecordSurvivesTheProcessBeingKilledRightAfterIt() throws Exception {
        // H2 writes commits to the file in the background within half a second; a run recorded as
        // started right before a SIGKILL vanished. Durable records are checkpointed.
        BackupId mine = id(1);
        BackupId theirs = id(2);
        catalog.upsertRecoveryPoint(point(mine, "db"));
        catalog.close();
        runChild(mine, theirs, "crash");
        try (Catalog reopened = Catalog.open(settings())) {
            assertThat(reopened.scheduledRuns(java.util.Optional.of("backup:crash"), java.util.Optional.empty(), 5))
                    .as("recorded just before the kill").hasSize(1);
        }
    }

    private void runChild(BackupId mine, BackupId theirs, String... mode) throws Exception {
        Path log = stateDir.resolve("child.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                CatalogChildProcess.class.getName(), stateDir.toString(), mine.value(), theirs.value()));
        command.addAll(List.of(mode));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = child.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly();
        }
        List<String> output = Files.readAllLines(log);
        assertThat(exited && child.exitValue() == 0)
                .as("child process succeeded; its output:%n%s", String.join("\n", output.subList(
                        Math.max(0, output.size() - 40), output.size())))
                .isTrue();
    }
}
