package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.model.BackupId;
import io.drover.core.repository.StoredObject;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage done to stored objects on disk (a flipped byte, truncation, deletion, a missing parent)
 * is found by {@code verify} at the levels that can see it, exits 5 and names what is damaged;
 * a restore of damaged data fails loudly instead of handing back wrong files.
 */
class CorruptionDetectionIT {
    @TempDir
    Path temp;

    private Path data;
    private DroverWorkspace workspace;
    private BackupId id;

    @BeforeEach
    void backUpSmallTree() throws IOException {
        data = Files.createDirectories(temp.resolve("data"));
        SampleTrees.writeExtras(data);
        SampleTrees.randomFile(data.resolve("blobs/one.bin"), 300_000, 1);
        SampleTrees.randomFile(data.resolve("blobs/two.bin"), 200_000, 2);
        workspace = DroverWorkspace.in(temp.resolve("ws")).source(data).create().init();
        id = workspace.backup();
        workspace.ok("verify", id.value(), "--level", "deep");
    }

    @Test
    void flippedByteInAPartFailsDeepVerification() throws IOException {
        StoredObject part = workspace.part(id, 1);
        flipByte(workspace.objectFile(part), part.size() / 2);

        assertIntegrityProblem(workspace.drover("verify", id.value(), "--level", "deep"), part.key());
        // quick checks only existence and sizes, so a flipped byte is for deep to find
        assertThat(workspace.drover("verify", id.value(), "--level", "quick").exitCode()).isZero();
    }

    @Test
    void flippedByteInTheIndexFailsDeepVerification() throws IOException {
        StoredObject index = workspace.index(id);
        flipByte(workspace.objectFile(index), index.size() / 2);

        assertIntegrityProblem(workspace.drover("verify", id.value(), "--level", "deep"), index.key());
    }

    @Test
    void truncatedPartFailsQuickAndDeepVerification() throws IOException {
        StoredObject part = workspace.part(id, 1);
        try (FileChannel channel = FileChannel.open(workspace.objectFile(part), StandardOpenOption.WRITE)) {
            channel.truncate(part.size() - 1000);
        }

        assertIntegrityProblem(workspace.drover("verify", id.value(), "--level", "quick"), part.key());
        assertIntegrityProblem(workspace.drover("verify", id.value(), "--level", "deep"), part.key());
    }

    @Test
    void deletedPartFailsQuickAndDeepVerification() throws IOException {
        StoredObject part = workspace.part(id, 1);
        Files.delete(workspace.objectFile(part));

        assertIntegrityProblem(workspace.drover("verify", id.value(), "--level", "quick"), part.key());
        assertIntegrityProblem(workspace.drover("verify", id.value(), "--level", "deep"), part.key());
    }

    @Test
    void deletedManifestOfTheParentFailsVerificationOfTheIncremental() throws IOException {
        Files.writeString(data.resolve("extras/run.sh"), "#!/bin/sh\necho changed\n");
        BackupId incremental = workspace.backup();
        assertThat(workspace.manifest(incremental).parent()).contains(id);
        Files.delete(workspace.manifestFile(id));

        assertIntegrityProblem(workspace.drover("verify", incremental.value(), "--level", "quick"), id.value());
        assertIntegrityProblem(workspace.drover("verify", incremental.value(), "--level", "deep"), id.value());
    }

    @Test
    void damagedManifestIsReportedByVerifyAndRestore() throws IOException {
        Files.writeString(workspace.manifestFile(id), "{ \"format\": 1, truncated");
        String key = "manifests/" + id.value() + ".json";

        assertIntegrityProblem(workspace.drover("verify", id.value(), "--level", "quick"), key);
        assertIntegrityProblem(workspace.drover("restore", id.value(), "--to", temp.resolve("restore").toString()), key);
        assertThat(temp.resolve("restore")).doesNotExist();
    }

    @Test
    void flippedByteInAPartFailsRestoreVerification() throws IOException {
        StoredObject part = workspace.part(id, 1);
        flipByte(workspace.objectFile(part), part.size() / 2);

        CliResult result = workspace.drover("verify", id.value(), "--level", "restore");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(5);
        assertThat(result.all()).as(result.toString()).contains(part.key()).contains("cannot be read");
    }

    @Test
    void restoreOfAPartWithAFlippedByteFailsAndSaysSo() throws IOException {
        StoredObject part = workspace.part(id, 1);
        flipByte(workspace.objectFile(part), part.size() / 2);

        CliResult result = workspace.drover("restore", id.value(), "--to", temp.resolve("restore").toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(5);
        assertThat(result.err()).as(result.toString()).contains(id.value()).contains(part.key())
                .contains("blobs/one.bin: not restored");
        assertThat(result.err()).doesNotContain("\tat ");
        // A file the damage broke off is removed, never left truncated as if it were restored.
        try (var files = Files.walk(temp.resolve("restore"))) {
            assertThat(files.filter(f -> f.getFileName().toString().equals("one.bin"))).isEmpty();
        }
    }

    private static void assertIntegrityProblem(CliResult result, String named) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(5);
        assertThat(result.all()).as(result.toString()).contains(named);
    }

    /** Inverts every bit of one byte of a stored file, in place. */
    static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(~b & 0xff);
        }
    }
}
