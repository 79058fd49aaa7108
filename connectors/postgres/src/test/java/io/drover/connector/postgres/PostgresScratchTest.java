package io.drover.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.model.BackupId;
import io.drover.core.spi.CheckResult;
import io.drover.core.spi.ScratchContext;
import io.drover.core.spi.ScratchDatabase;
import io.drover.core.spi.SourceReadContext;
import io.drover.core.spi.ValidationCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks against a loaded scratch database, and where a temporary instance keeps its data. */
class PostgresScratchTest {
    private static PgFixture fixture;
    private static Path backup;
    @TempDir
    static Path shared;
    @TempDir
    Path temp;

    @BeforeAll
    static void backUp() throws Exception {
        fixture = PgFixture.create();
        PgFixture.admin(fixture.database, "create schema \"Ops\"; create table \"Ops\".\"Audit Log\" (id int);"
                + " insert into \"Ops\".\"Audit Log\" values (1), (2), (3); alter schema \"Ops\" owner to " + fixture.role
                + "; alter table \"Ops\".\"Audit Log\" owner to " + fixture.role);
        backup = Files.createDirectories(shared.resolve("files"));
        fixture.source(shared.resolve("state")).read(new SourceReadContext(BackupId.generate(Instant.now()), "t",
                Clock.systemUTC()), new RecordingSink(backup));
    }

    @AfterAll
    static void dropFixture() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void checksReportWhatTheyFoundOnAServerScratch() throws Exception {
        PostgresSource source = fixture.source(temp.resolve("state"));
        ScratchContext context = new ScratchContext(temp, Optional.of(source), "s" + PgFixture.random(),
                Duration.ofMinutes(5));
        try (ScratchDatabase scratch = source.openScratch(context)) {
            assertThat(scratch.describe()).startsWith("database drover_verify_s").endsWith(" on 127.0.0.1:5432")
                    .doesNotContain(fixture.password);
            scratch.load(backup);
            assertThat(scratch.run(new ValidationCheck.MinRows("\"Ops\".\"Audit Log\"", 3)))
                    .satisfies(r -> assertThat(r.passed()).isTrue()).extracting(CheckResult::detail).isEqualTo("3 rows");
            assertThat(scratch.run(new ValidationCheck.MinRows("Ops.Audit Log", 1)).detail())
                    .contains("is not a table name");
            assertThat(scratch.run(new ValidationCheck.MinRows("ops.\"Audit Log\"", 1)).detail())
                    .isEqualTo("table ops.\"Audit Log\" does not exist");
            assertThat(scratch.run(new ValidationCheck.MinRows("pgbench_branches", 2)).detail())
                    .isEqualTo("only 1 rows, expected at least 2");
            assertThat(scratch.run(new ValidationCheck.Sql("select count(*) > 0 from pgbench_tellers", Optional.empty()))
                    .passed()).isTrue();
            assertThat(scratch.run(new ValidationCheck.Sql("select 41", Optional.of("42"))).detail())
                    .isEqualTo("returned 41, expected 42");
            assertThat(scratch.run(new ValidationCheck.Sql("select * from nowhere", Optional.empty())).detail())
                    .contains("relation \"nowhere\" does not exist").contains("SQLSTATE 42P01");
            assertThat(scratch.run(new ValidationCheck.Sql("select 1 where false", Optional.empty())).detail())
                    .isEqualTo("the query returned no rows");
            CheckResult write = scratch.run(new ValidationCheck.Sql("delete from pgbench_branches returning true",
                    Optional.empty()));
            assertThat(write.passed()).isFalse();
            assertThat(write.detail()).contains("read-only transaction");
            assertThat(scratch.run(new ValidationCheck.Sql("select count(*) from pgbench_branches", Optional.of("1")))
                    .passed()).isTrue();
        }
    }

    @Test
    void aTemporaryInstanceKeepsItsDataInTheWorkDirectoryWhenThePostgresUserCanUseIt() throws Exception {
        // A directory anyone may enter, as core would hand over for a service user.
        Path work = Files.createTempDirectory(Path.of("/tmp"), "drover-work-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
        try {
            PostgresSource source = fixture.source(temp.resolve("state"));
            String describe;
            try (ScratchDatabase scratch = source.openScratch(new ScratchContext(work, Optional.empty(),
                    "w" + PgFixture.random(), Duration.ofMinutes(5)))) {
                describe = scratch.describe();
                assertThat(describe).startsWith("temporary PostgreSQL 15 on 127.0.0.1:")
                        .contains("(data in " + work.resolve("data") + ")");
                scratch.load(backup);
                assertThat(scratch.run(new ValidationCheck.MinRows("pgbench_accounts", 100_000)).passed()).isTrue();
            }
            assertThat(work.resolve("data")).doesNotExist();
            try (var left = Files.list(work)) {
                assertThat(left).isEmpty();
            }
        } finally {
            TemporaryInstance.deleteTree(work);
        }
    }

    @Test
    void loadIntoAnExistingEmptyDatabaseKeepsItAndNeedsNoReplace() throws Exception {
        PostgresSource source = fixture.source(temp.resolve("state"));
        String database = "drover_empty_" + PgFixture.random();
        PgFixture.admin("create database " + database + " owner " + fixture.role);
        try {
            assertThat(source.loadInto(backup, database, false)).contains(database);
            assertThat(PgFixture.counts(database).get("pgbench_accounts")).isEqualTo(100_000L);
        } finally {
            PgFixture.dropDatabase(database);
        }
    }
}
