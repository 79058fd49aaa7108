package io.drover.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.spi.LoadableSource;
import io.drover.core.spi.LoadableSourceContract;
import io.drover.core.spi.ValidationCheck;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The PostgreSQL source passes the contract of database sources against the server on 127.0.0.1:5432. */
class PostgresSourceContractTest extends LoadableSourceContract {
    private static final Pattern TEMPORARY = Pattern.compile("^temporary PostgreSQL \\S+ on 127\\.0\\.0\\.1:(\\d+) \\(data in (.+)\\) database (\\w+)$");
    private static final Pattern ON_SERVER = Pattern.compile("^database (\\w+) on \\S+$");
    private static PgFixture fixture;

    @BeforeAll
    static void createFixture() throws Exception {
        fixture = PgFixture.create();
    }

    @AfterAll
    static void dropFixture() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Override
    protected LoadableSource source() {
        return fixture.source(temp.resolve("state"));
    }

    @Override
    protected List<ValidationCheck> checksThatHold() {
        return List.of(new ValidationCheck.MinRows("pgbench_accounts", 100_000),
                new ValidationCheck.Sql("select count(*) from pgbench_branches", Optional.of("1")),
                new ValidationCheck.Sql("select exists (select 1 from pgbench_tellers)", Optional.empty()));
    }

    @Override
    protected void assertRemoved(String describe) throws Exception {
        Matcher temporary = TEMPORARY.matcher(describe);
        if (temporary.matches()) {
            int port = Integer.parseInt(temporary.group(1));
            assertThat(TemporaryInstance.accepting(port)).as("port %d still accepts connections", port).isFalse();
            assertThat(Path.of(temporary.group(2))).as("data directory").doesNotExist();
            return;
        }
        Matcher onServer = ON_SERVER.matcher(describe);
        assertThat(onServer.matches()).as("unexpected description: %s", describe).isTrue();
        assertThat(onServer.group(1)).startsWith(PostgresSource.SCRATCH_PREFIX);
        assertThat(PgFixture.databaseExists(onServer.group(1))).as(onServer.group(1)).isFalse();
    }

    @Override
    protected boolean databaseExists(String database) throws Exception {
        return PgFixture.databaseExists(database);
    }

    @Override
    protected void dropDatabase(String database) throws Exception {
        PgFixture.dropDatabase(database);
    }

    @Override
    protected Optional<String> password() {
        return Optional.of(fixture.password);
    }
}
