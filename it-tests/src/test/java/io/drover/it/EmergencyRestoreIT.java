package io.drover.it;

import static io.drover.it.ExternalCommand.quote;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.model.BackupId;
import io.drover.core.repository.Manifest;
import io.drover.core.repository.StoredObject;
import io.drover.core.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository format's promise that a restore needs no drover: every part of a backup chain,
 * decrypted with {@code age}, decompressed with {@code zstd} and extracted with {@code tar}, in
 * chain order, gives back the original files.
 */
class EmergencyRestoreIT {
    @TempDir
    Path temp;

    @BeforeEach
    void requireTools() {
        boolean available = ExternalCommand.onPath("age") && ExternalCommand.onPath("zstd") && ExternalCommand.onPath("tar");
        TestServices.requireService("age and zstd", available, "apt-get install age zstd");
    }

    @Test
    void partsOfAChainExtractWithAgeZstdAndTarAlone() throws Exception {
        Path data = Files.createDirectories(temp.resolve("data"));
        SampleTrees.writeExtras(data);
        // The part size is only honoured once zstd's in-flight jobs have flushed (tens of MiB of input
        // behind, see the report), so several parts need about 50 MB of incompressible data.
        for (int i = 0; i < 50; i++) {
            SampleTrees.randomFile(data.resolve("blobs/blob-" + i + ".bin"), 1_000_000, i);
        }
        Files.writeString(data.resolve("notes.txt"), "first version\n");
        DroverWorkspace workspace = DroverWorkspace.in(temp.resolve("ws")).source(data).partSize("1MiB").create().init();
        BackupId full = workspace.backup();
        Files.writeString(data.resolve("notes.txt"), "second version, after the full backup\n");
        SampleTrees.randomFile(data.resolve("blobs/added.bin"), 300_000, 99);
        BackupId incremental = workspace.backup();

        Manifest fullManifest = workspace.manifest(full);
        assertThat(fullManifest.parts()).as("the full backup spans several parts").hasSizeGreaterThan(1);
        assertThat(workspace.manifest(incremental).parent()).contains(full);

        Path extracted = Files.createDirectories(temp.resolve("extracted"));
        for (BackupId id : List.of(full, incremental)) {
            for (StoredObject part : workspace.manifest(id).parts()) {
                Path file = workspace.objectFile(part);
                assertThat(file.getFileName().toString()).endsWith(".tar.zst.age");
                ExternalCommand.Result result = ExternalCommand.bash("age -d -i " + quote(workspace.keyFile()) + " " + quote(file)
                        + " | zstd -d -q | tar -x -C " + quote(extracted));
                assertThat(result.exitCode()).as("emergency extraction of %s: %s", part.key(), result).isZero();
            }
        }

        Path copy = DroverWorkspace.restoredCopy(extracted, data);
        ExternalCommand.Result diff = ExternalCommand.run(List.of("diff", "-r", "--no-dereference", data.toString(), copy.toString()));
        assertThat(diff.exitCode()).as("diff -r of the original and the emergency extraction:\n%s", diff.output()).isZero();
    }
}
