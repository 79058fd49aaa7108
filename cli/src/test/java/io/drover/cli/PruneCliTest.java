package io.drover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code drover prune} through the whole CLI against a local target: dry run, prune, and what backup list shows after. */
class PruneCliTest {
    @TempDir
    Path dir;

    private CliRun drover(String... args) {
        return CliRun.of(dir.resolve("drover.yaml"), args);
    }

    @BeforeEach
    void config() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("drover.yaml"), """
                state-dir: %1$s/state
                encryption: { insecure-no-encryption: true }
                targets:
                  local: { type: local, path: %1$s/repo, fsync: false }
                sources:
                  data: { type: files, paths: [%1$s/data] }
                jobs:
                  data:
                    source: data
                    targets: [local]
                    full-every: 2
                    retention: { keep-last: 2 }
                """.formatted(dir));
        assertThat(drover("init").exitCode()).isZero();
    }

    @Test
    void dryRunShowsTheDecisionsThenPruneForgetsAndBackupListShowsTheKeptOnes() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Files.writeString(dir.resolve("data/file.txt"), "version " + i);
            CliRun backup = drover("backup", "run", "data");
            assertThat(backup.exitCode()).as(backup.err()).isZero();
            String list = drover("backup", "list", "--output", "json").out();
            ids.add(list.replaceAll("(?s).*?\"id\" : \"([^\"]+)\".*", "$1"));
        }
        assertThat(ids).doesNotHaveDuplicates();

        CliRun dry = drover("prune", "--dry-run");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        // full-every 2: backups 0+1 and 2+3 are chains; keep-last 2 keeps 3 and 2, which 3 needs anyway
        assertThat(dry.out()).contains("target local, job data:")
                .containsPattern("KEEP +" + ids.get(3) + " .*keep-last 2")
                .containsPattern("KEEP +" + ids.get(2) + " .*keep-last 2, parent of kept " + ids.get(3))
                .containsPattern("FORGET +" + ids.get(1))
                .containsPattern("FORGET +" + ids.get(0))
                .contains("would forget 2 of 4 recovery points");
        assertThat(drover("backup", "list", "--output", "json").out()).contains(ids.get(0), ids.get(1));

        CliRun json = drover("prune", "--dry-run", "--output", "json");
        assertThat(json.exitCode()).isZero();
        assertThat(json.out()).contains("\"decision\" : \"forget\"", "\"dryRun\" : true");

        CliRun prune = drover("prune");
        assertThat(prune.exitCode()).as(prune.err()).isZero();
        assertThat(prune.out()).contains("forgot 2 of 4 recovery points");
        String after = drover("backup", "list", "--output", "json").out();
        assertThat(after).contains(ids.get(2), ids.get(3)).doesNotContain(ids.get(0), ids.get(1));
        assertThat(dir.resolve("repo/manifests/" + ids.get(0) + ".json")).doesNotExist();
        Path objects = dir.resolve("repo/backups/" + ids.get(0));
        if (Files.exists(objects)) {
            try (var files = Files.walk(objects)) {
                assertThat(files.filter(Files::isRegularFile)).as("objects of a forgotten backup").isEmpty();
            }
        }

        CliRun restore = drover("restore", ids.get(3), "--to", dir.resolve("out").toString());
        assertThat(restore.exitCode()).as(restore.err()).isZero();

        CliRun unknown = drover("prune", "--job", "nope");
        assertThat(unknown.exitCode()).isEqualTo(4);
        assertThat(unknown.err()).contains("no job 'nope'");
    }
}
