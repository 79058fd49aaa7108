package io.drover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.testing.TestingPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog on PostgreSQL by JDBC URL instead of the embedded H2, through the CLI; and a rebuild from the repository. */
class PostgresCatalogCliTest {
    @TempDir
    Path dir;

    private int drover(StringWriter out, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--config";
        all[1] = dir.resolve("drover.yaml").toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return DroverCli.run(all, new PrintWriter(out, true), new PrintWriter(out, true));
    }

    @Test
    void backupsAreCatalogedInPostgresAndRebuiltFromTheRepository() throws Exception {
        try (TestingPostgres postgres = TestingPostgres.create()) {
            Files.createDirectories(dir.resolve("data/sub"));
            Files.writeString(dir.resolve("data/sub/a.txt"), "hello");
            Files.writeString(dir.resolve("drover.yaml"), """
                    state-dir: %1$s/state
                    catalog: { url: "%2$s" }
                    encryption: { insecure-no-encryption: true }
                    targets:
                      local: { type: local, path: %1$s/repo }
                    sources:
                      data: { type: files, paths: [%1$s/data] }
                    jobs:
                      data: { source: data, targets: [local] }
                    """.formatted(dir, postgres.url()));
            StringWriter out = new StringWriter();
            assertThat(drover(out, "init")).as(out.toString()).isZero();
            assertThat(drover(out, "backup", "run", "data")).as(out.toString()).isZero();
            assertThat(drover(out, "backup", "run", "data")).as(out.toString()).isZero();
            assertThat(dir.resolve("state/catalog")).doesNotExist();

            postgres.execute("delete from recovery_point_copy");
            postgres.execute("delete from recovery_point");
            StringWriter empty = new StringWriter();
            drover(empty, "--output", "json", "backup", "list");
            assertThat(empty.toString().strip()).isEqualTo("[ ]");

            StringWriter rebuild = new StringWriter();
            assertThat(drover(rebuild, "catalog", "rebuild")).as(rebuild.toString()).isZero();
            assertThat(rebuild.toString()).contains("local").contains("2 recovery points");
            StringWriter list = new StringWriter();
            assertThat(drover(list, "--output", "json", "backup", "list")).isZero();
            assertThat(list.toString()).contains("\"kind\" : \"FULL\"").contains("\"kind\" : \"INCREMENTAL\"");
        }
    }
}
