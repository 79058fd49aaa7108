package io.drover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code drover repo copy} from a local repository to another, then a restore from the copy. */
class RepoCopyCliTest {
    @TempDir
    Path dir;

    private String drover(int expectedExit, String... args) {
        CliRun run = CliRun.of(dir.resolve("drover.yaml"), args);
        assertThat(run.exitCode()).as(run.all()).isEqualTo(expectedExit);
        return run.all();
    }

    @Test
    void copiesAreVerifiedCatalogedAndRestorable() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/a.txt"), "hello");
        Files.writeString(dir.resolve("drover.yaml"), """
                state-dir: %1$s/state
                encryption: { insecure-no-encryption: true }
                targets:
                  near: { type: local, path: %1$s/near }
                  far: { type: local, path: %1$s/far }
                sources:
                  data: { type: files, paths: [%1$s/data] }
                jobs:
                  data: { source: data, targets: [near] }
                """.formatted(dir));
        drover(0, "init");
        drover(0, "backup", "run", "data");
        Files.writeString(dir.resolve("data/a.txt"), "hello again");
        drover(0, "backup", "run", "data");

        String copy = drover(0, "repo", "copy", "--from", "near", "--to", "far");
        assertThat(copy).contains("2 recovery points in far").contains("verified");
        assertThat(drover(0, "repo", "copy", "--from", "near", "--to", "far")).contains("already in far");

        assertThat(drover(0, "--output", "json", "backup", "list", "--target", "far")).contains("\"target\" : \"far\"");
        drover(0, "restore", "latest", "--from", "far", "--to", dir.resolve("out").toString());
        assertThat(Files.readString(dir.resolve("out").resolve(dir.resolve("data/a.txt").toString().substring(1))))
                .isEqualTo("hello again");
    }
}
