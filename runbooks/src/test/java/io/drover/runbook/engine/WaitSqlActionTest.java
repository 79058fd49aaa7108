package io.drover.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.catalog.Catalog;
import io.drover.core.catalog.CatalogSettings;
import io.drover.core.catalog.RunbookExecutionStatus;
import io.drover.core.catalog.RunbookStepRecord;
import io.drover.core.testing.TestServices;
import io.drover.runbook.action.ActionRegistry;
import io.drover.runbook.model.Runbook;
import io.drover.runbook.parse.RunbookParser;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code action: wait-sql} through the engine, against H2, the PostgreSQL on 5432 and the MariaDB on 3306. */
class WaitSqlActionTest {
    private static final String POSTGRES = TestServices.setting("DROVER_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String MARIADB = TestServices.setting("DROVER_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/");

    @TempDir
    Path dir;

    private Catalog catalog;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    private final String table = "wait_sql_" + Long.toHexString(System.nanoTime());

    @BeforeEach
    void open() {
        catalog = Catalog.open(CatalogSettings.embedded(dir.resolve("state")));
    }

    @AfterEach
    void close() {
        later.shutdownNow();
        catalog.close();
    }

    private ExecutionResult run(String with) {
        return run(with, System::getenv);
    }

    private ExecutionResult run(String with, java.util.function.Function<String, String> env) {
        RunbookParser.Result parsed = new RunbookParser(ActionRegistry.discover(), Optional.of(Set.of()), env)
                .parse(Path.of("wait.yaml"), "wait.yaml", """
                name: wait
                steps:
                  - id: ready
                    action: wait-sql
                    with: %s
                """.formatted(with), Optional.of("wait"));
        assertThat(parsed.problems()).isEmpty();
        return engine(env).run(parsed.runbook().orElseThrow(), Map.of());
    }

    private RunbookEngine engine() {
        return engine(System::getenv);
    }

    private RunbookEngine engine(java.util.function.Function<String, String> env) {
        return new RunbookEngine(catalog, ActionRegistry.discover(), new TestEngines.RecordingServices(),
                java.time.Clock.systemUTC(), dir.resolve("state"), TestEngines.ROLES, Optional.of(List.of()), env::apply,
                lines::add, "op", Duration.ofMillis(50));
    }

    private RunbookStepRecord step(ExecutionResult result) {
        return catalog.runbookSteps(result.id()).getFirst();
    }

    private static void execute(String url, String user, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void requirePostgres() {
        TestServices.requireService("PostgreSQL at " + POSTGRES, reachable(POSTGRES, "postgres"), "systemctl start postgresql");
    }

    private static void requireMariaDb() {
        TestServices.requireService("MariaDB at " + MARIADB, reachable(MARIADB, "root"), "systemctl start mariadb");
    }

    private static boolean reachable(String url, String user) {
        try (Connection ignored = DriverManager.getConnection(url, user, "")) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    @Test
    void waitsUntilARowInsertedLaterMakesTheQueryTrueOnH2() throws Exception {
        String url = "jdbc:h2:mem:" + table + ";DB_CLOSE_DELAY=-1";
        execute(url, "sa", "create table orders (id int)");
        later.schedule(() -> {
            execute(url, "sa", "insert into orders values (1)");
            return null;
        }, 1, TimeUnit.SECONDS);

        ExecutionResult result = run("{ url: \"" + url + "\", user: sa, query: \"select count(*) from orders\","
                + " expect: \"> 0\", interval: 100ms, timeout: 20s }");

        assertThat(result.status()).as(String.join("\n", lines)).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        assertThat(step(result).outputs()).contains("\"value\":\"1\"");
        assertThat(Integer.parseInt(step(result).outputs().replaceAll(".*\"attempts\":\"(\\d+)\".*", "$1"))).isGreaterThan(1);
        assertThat(lines).anyMatch(l -> l.contains("waiting for query on jdbc:h2:mem:" + table) && l.contains("value 0"));
    }

    @Test
    void waitsOnPostgresUntilTheDefaultTruthinessHoldsAndShowsTheUrlWithoutCredentials() throws Exception {
        requirePostgres();
        execute(POSTGRES, "postgres", "create table " + table + " (ready boolean)");
        try {
            later.schedule(() -> {
                execute(POSTGRES, "postgres", "insert into " + table + " values (true)");
                return null;
            }, 1, TimeUnit.SECONDS);
            // Trust authentication ignores the password; what matters is that it is never shown.
            String url = POSTGRES + "?password=url-secret";
            String with = "{ url: \"" + url + "\", user: postgres, query: \"select coalesce(bool_or(ready), false) from "
                    + table + "\", interval: 100ms, timeout: 20s }";

            PlanReport plan = engine().plan(TestEngines.runbook("wait", """
                    name: wait
                    steps:
                      - id: ready
                        action: wait-sql
                        with: %s
                    """.formatted(with)), Map.of());
            StepPlan step = plan.steps().getFirst();
            assertThat(step.summary().orElseThrow()).isEqualTo("wait up to 20s for the query on "
                    + POSTGRES + " to return true, non-zero or non-empty");
            assertThat(step.preconditions()).allMatch(p -> p.passed());
            assertThat(step.preconditions().getFirst().detail()).isEqualTo("org.postgresql.Driver");
            assertThat(step.preconditions().toString()).doesNotContain("url-secret").contains("not yet: value 'false'");

            ExecutionResult result = run(with);

            assertThat(result.status()).as(String.join("\n", lines)).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
            assertThat(step(result).outputs()).contains("\"value\":\"true\"");
            assertThat(String.join("\n", lines)).doesNotContain("url-secret");
        } finally {
            execute(POSTGRES, "postgres", "drop table if exists " + table);
        }
    }

    @Test
    void aQueryThatIsAlreadyTrueMakesTheStepDoneByCheck() throws Exception {
        requirePostgres();
        ExecutionResult result = run("{ url: \"" + POSTGRES + "\", user: postgres, query: \"select 'primary'\","
                + " expect: primary }");
        assertThat(result.status()).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        assertThat(step(result).message()).hasValueSatisfying(m -> assertThat(m).contains("already done")
                .contains("value primary"));
        assertThat(step(result).outputs()).contains("\"value\":\"primary\"", "\"attempts\":\"1\"");
    }

    @Test
    void aBadQueryFailsWithTheDatabasesError() {
        requirePostgres();
        ExecutionResult result = run("{ url: \"" + POSTGRES + "\", user: postgres, query: \"selec 1\", timeout: 1s,"
                + " interval: 200ms }");
        assertThat(result.status()).isEqualTo(RunbookExecutionStatus.FAILED);
        assertThat(result.message()).hasValueSatisfying(m -> assertThat(m)
                .contains("query on " + POSTGRES + " not ready after")
                .contains("SQL error 42601").contains("syntax error"));
    }

    @Test
    void aComparisonWithANumberOnMariaDbHoldsOrFailsWithTheLastValue() {
        requireMariaDb();
        ExecutionResult holds = run("{ url: \"" + MARIADB + "\", user: root, query: \"select 1 + 2\", expect: \">= 3\" }");
        assertThat(holds.status()).as(String.join("\n", lines)).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        assertThat(step(holds).outputs()).contains("\"value\":\"3\"");

        ExecutionResult fails = run("{ url: \"" + MARIADB + "\", user: root, query: \"select 1 + 2\", expect: \"!= 3\","
                + " timeout: 1s, interval: 200ms }");
        assertThat(fails.status()).isEqualTo(RunbookExecutionStatus.FAILED);
        assertThat(fails.message()).hasValueSatisfying(m -> assertThat(m).contains("value 3, expected != 3"));
    }

    @Test
    void aWrongPasswordFailsWithTheServersMessageButNeverThePassword() throws Exception {
        requireMariaDb();
        String password = "Wr0ng-pa55word-" + table;
        Map<String, String> env = Map.of("APP_DB_PW", password);
        ExecutionResult result = run("{ url: \"" + MARIADB + "\", user: root, password: \"${env:APP_DB_PW}\","
                + " query: \"select 1\", timeout: 1s, interval: 200ms }", env::get);

        assertThat(result.status()).isEqualTo(RunbookExecutionStatus.FAILED);
        assertThat(result.message()).hasValueSatisfying(m -> assertThat(m).contains("SQL error").contains("Access denied")
                .doesNotContain(password));
        assertThat(String.join("\n", lines)).doesNotContain(password);
        assertThat(catalog.runbookTransitions(result.id()).toString()).doesNotContain(password);
        assertThat(catalog.runbookExecution(result.id()).orElseThrow().toString()).doesNotContain(password);
    }

    @Test
    void aUrlWithoutADriverFailsThePreconditionAndABadExpectationIsAConfigProblem() {
        Runbook runbook = TestEngines.runbook("wait", """
                name: wait
                steps:
                  - id: ready
                    action: wait-sql
                    with: { url: "jdbc:nosuchdb://host/db", query: "select 1" }
                """);
        StepPlan step = engine().plan(runbook, Map.of()).steps().getFirst();
        assertThat(step.preconditions()).singleElement().satisfies(p -> {
            assertThat(p.passed()).isFalse();
            assertThat(p.name()).isEqualTo("a JDBC driver for jdbc:nosuchdb://host/db is on the class path");
        });

        RunbookParser.Result parsed = new RunbookParser(ActionRegistry.discover(), Optional.of(Set.of()), System::getenv)
                .parse(Path.of("bad.yaml"), "bad.yaml", """
                        name: bad
                        steps:
                          - id: ready
                            action: wait-sql
                            with: { url: "postgres://db/x", query: "select 1", expect: "> many" }
                        """, Optional.of("bad"));
        assertThat(parsed.problems()).extracting(Object::toString).anySatisfy(p -> assertThat(p)
                        .contains("url must be a JDBC URL"))
                .anySatisfy(p -> assertThat(p).contains("expect '> many' compares with 'many', which is not a number"));
    }
}
