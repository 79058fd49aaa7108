package io.drover.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.app.BackupService;
import io.drover.core.app.DroverRuntime;
import io.drover.core.app.InitService;
import io.drover.core.catalog.RunbookExecutionStatus;
import io.drover.core.catalog.RunbookStepRecord;
import io.drover.core.catalog.RunbookStepStatus;
import io.drover.core.config.ConfigLoader;
import io.drover.core.config.DroverConfig;
import io.drover.core.connector.ConnectorRegistry;
import io.drover.core.model.BackupId;
import io.drover.core.repository.BackupProgress;
import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.FakeDatabaseSource;
import io.drover.core.spi.action.ActionContext;
import io.drover.core.testing.InMemoryStorageTarget;
import io.drover.core.testing.TestConnectors;
import io.drover.runbook.action.RestoreBackupAction;
import io.drover.runbook.model.Runbook;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code action: restore-backup} with {@code database:}, through the engine with core's real backup
 * and load over an in-memory repository and core's fake database server (runbooks does not depend on
 * the PostgreSQL connector): the load, the record that makes a resumed execution skip it, the
 * refusal of a files backup, and which keys go together.
 */
class RestoreBackupActionDatabaseTest {
    static final FakeDatabaseSource.Server SERVER = new FakeDatabaseSource.Server();

    /** Config of the fake {@code fakedb} source: the database it backs up, on {@link #SERVER}. */
    record FakeDbConfig(String database) {
    }

    @TempDir
    Path dir;

    private DroverRuntime runtime;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final TestEngines.RecordingServices services = new TestEngines.RecordingServices();

    @BeforeEach
    void start() throws Exception {
        SERVER.drop("orders");
        SERVER.drop("orders_dr");
        SERVER.create("orders").tables.put("accounts", 100L);
        Files.createDirectories(dir.resolve("app-config"));
        Files.writeString(dir.resolve("app-config/app.yaml"), "port: 8080\n");
        Path file = dir.resolve("drover.yaml");
        Files.writeString(file, """
                state-dir: %1$s/state
                encryption: { insecure-no-encryption: true }
                targets:
                  offsite: { type: mem, name: offsite }
                sources:
                  orders: { type: fakedb, database: orders }
                  dr-pg: { type: fakedb, database: postgres }
                  app-config: { type: tree, root: %1$s/app-config }
                jobs:
                  orders-db-hourly: { source: orders, targets: [offsite] }
                  app-config-nightly: { source: app-config, targets: [offsite] }
                """.formatted(dir));
        InMemoryStorageTarget target = new InMemoryStorageTarget();
        ConnectorRegistry registry = new ConnectorRegistry(
                List.of(TestConnectors.target("mem", TestConnectors.Named.class, c -> target)),
                List.of(TestConnectors.source("fakedb", FakeDbConfig.class,
                                c -> new FakeDatabaseSource(SERVER, c.database(), false)),
                        TestConnectors.source("tree", RestoreBackupActionTest.TreeConfig.class,
                                c -> new RestoreBackupActionTest.TreeSource(c.root()))));
        Map<String, String> env = Map.of();
        DroverConfig config = new ConfigLoader(registry, env::get).load(file);
        runtime = new DroverRuntime(config, registry, Clock.systemUTC(), env::get);
        new InitService(runtime).initialize(List.of("offsite"), "test");
        services.backups = new RuntimeBackups(runtime, "op");
    }

    @AfterEach
    void stop() {
        runtime.close();
        SERVER.drop("orders");
        SERVER.drop("orders_dr");
    }

    private BackupId backUp(String job) {
        return new BackupService(runtime).run(job, BackupProgress.NONE, "test").manifest().id();
    }

    private static Runbook runbook(String with) {
        return TestEngines.runbook("dr", """
                name: dr
                steps:
                  - id: restore-orders
                    action: restore-backup
                    with: %s
                """.formatted(with));
    }

    private RunbookEngine engine() {
        return TestEngines.engine(runtime.catalog(), runtime.stateDir(), "op", lines::add, services);
    }

    private RunbookStepRecord step(long execution) {
        return runtime.catalog().runbookSteps(execution).getFirst();
    }

    private static RestoreBackupAction.Config loadConfig(boolean replace) {
        return new RestoreBackupAction.Config("orders-db-hourly", Optional.empty(), Optional.of("orders_dr"),
                Optional.of("dr-pg"), false, replace, Optional.empty(), false);
    }

    @Test
    void loadsTheNewestBackupIntoTheDatabaseOnTheNamedServer() {
        BackupId id = backUp("orders-db-hourly");
        Runbook runbook = runbook("{ job: orders-db-hourly, database: orders_dr, into: dr-pg, verified: false }");

        StepPlan plan = engine().plan(runbook, Map.of()).steps().getFirst();
        assertThat(plan.preconditions()).as(plan.preconditions().toString()).allMatch(p -> p.passed());
        assertThat(plan.preconditions()).anySatisfy(p -> assertThat(p.name())
                .isEqualTo("the backup can be loaded into a database on dr-pg"));
        assertThat(plan.summary()).hasValueSatisfying(s -> assertThat(s).startsWith("load backup " + id
                + " of job orders-db-hourly (captured ").endsWith(") from offsite into database orders_dr on dr-pg"
                + " (fake database postgres)"));

        ExecutionResult result = engine().run(runbook, Map.of());

        assertThat(result.status()).as(String.join("\n", lines)).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        assertThat(SERVER.databases().get("orders_dr").tables).containsEntry("accounts", 100L);
        assertThat(step(result.id()).outputs()).contains("\"backup-id\":\"" + id + "\"", "\"target\":\"offsite\"",
                "\"database\":\"orders_dr\"", "\"captured-at\":\"20");
        assertThat(runtime.catalog().auditEvents(20)).anyMatch(e -> e.action().equals("restore")
                && e.subject().equals(id.value()) && e.details().contains("into database orders_dr via source dr-pg"));
        Path record = runtime.stateDir().resolve("runbooks/restore-backup/" + result.id() + "-restore-orders.properties");
        assertThat(record).content().contains("backup-id=" + id, "database=orders_dr", "source=dr-pg");
    }

    @Test
    void aResumedExecutionFindsTheLoadDoneAndANewExecutionLoadsAgainOnlyWithReplace() throws Exception {
        BackupId id = backUp("orders-db-hourly");
        String with = "{ job: orders-db-hourly, database: orders_dr, into: dr-pg, verified: false }";
        Runbook runbook = runbook(with);
        // A process that loaded the database and died before journaling the step as done.
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        String deadOwner = java.net.InetAddress.getLocalHost().getHostName() + "/" + dead.pid() + "/0";
        Instant now = Instant.now();
        long crashed = runtime.catalog().createRunbookExecution("dr", runbook.source(), runbook.text(), "{}", "op",
                deadOwner, List.of("restore-orders"), now);
        runtime.catalog().journalRunbookStep(crashed, deadOwner, "restore-orders", RunbookStepStatus.RUNNING, 1,
                Optional.empty(), Optional.empty(), now, "op");
        ActionContext context = new ActionContext(crashed, "restore-orders", "dr", now.plusSeconds(60), Clock.systemUTC(),
                runtime.stateDir(), lines::add, services);
        RestoreBackupAction action = (RestoreBackupAction) new RestoreBackupAction.Factory().create(loadConfig(false));
        assertThat(action.check(context).done()).isFalse();
        action.run(context);
        assertThat(action.check(context).done()).isTrue();

        // Without replace a second load would be refused (orders_dr holds tables): the resume must not try one.
        ExecutionResult resumed = engine().resume(crashed, false);

        assertThat(resumed.status()).as(String.join("\n", lines)).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        assertThat(step(crashed).message()).hasValueSatisfying(m -> assertThat(m).startsWith("already done")
                .contains("this execution loaded backup " + id + " into database orders_dr on dr-pg"));
        assertThat(step(crashed).outputs()).contains("\"database\":\"orders_dr\"");

        // A new execution is a new drill: it loads again, which an existing database refuses without replace.
        ExecutionResult refused = engine().run(runbook, Map.of());
        assertThat(refused.status()).isEqualTo(RunbookExecutionStatus.FAILED);
        assertThat(refused.message()).hasValueSatisfying(m -> assertThat(m).contains("already holds tables"));

        SERVER.databases().get("orders_dr").tables.put("stale", 1L);
        ExecutionResult replaced = engine().run(runbook(with.replace(" }", ", replace: true }")), Map.of());
        assertThat(replaced.status()).as(String.join("\n", lines)).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        assertThat(SERVER.databases().get("orders_dr").tables).containsOnlyKeys("accounts");
    }

    @Test
    void aFilesBackupOrASourceOfAnotherTypeIsRefusedInThePlan() {
        BackupId files = backUp("app-config-nightly");
        backUp("orders-db-hourly");

        Runbook filesIntoDatabase = runbook("{ job: app-config-nightly, database: orders_dr, verified: false }");
        StepPlan plan = engine().plan(filesIntoDatabase, Map.of()).steps().getFirst();
        assertThat(plan.preconditions()).filteredOn(p -> !p.passed()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("the backup can be loaded into a database on app-config");
            assertThat(p.detail()).isEqualTo("backup " + files + " of job app-config-nightly is a tree backup of files,"
                    + " not of a database; restore it with to: DIR instead of database:");
        });
        ExecutionResult result = engine().run(filesIntoDatabase, Map.of());
        assertThat(result.status()).isEqualTo(RunbookExecutionStatus.FAILED);
        assertThat(result.message()).hasValueSatisfying(m -> assertThat(m).contains("precondition failed")
                .contains("backup of files"));
        assertThat(SERVER.databases()).doesNotContainKey("orders_dr");

        StepPlan wrongServer = engine().plan(runbook("{ job: orders-db-hourly, database: orders_dr, into: app-config,"
                + " verified: false }"), Map.of()).steps().getFirst();
        assertThat(wrongServer.preconditions()).filteredOn(p -> !p.passed()).singleElement().satisfies(p ->
                assertThat(p.detail()).endsWith("source 'app-config' is tree; into must name a fakedb source"));
    }

    @Test
    void exactlyOneOfToAndDatabaseAndEachOptionOnlyWithItsOwnDestination() {
        RestoreBackupAction.Factory factory = new RestoreBackupAction.Factory();
        Optional<Path> to = Optional.of(dir.resolve("dr"));
        Optional<String> database = Optional.of("orders_dr");

        assertThat(factory.validate(new RestoreBackupAction.Config("j", to, Optional.empty(), Optional.empty(), true,
                false, Optional.empty(), true))).isEmpty();
        assertThat(factory.validate(loadConfig(true))).isEmpty();
        assertThat(factory.validate(new RestoreBackupAction.Config("j", to, database, Optional.empty(), false, false,
                Optional.empty(), true))).extracting(ConfigProblem::message).singleElement().asString()
                .startsWith("set exactly one of to");
        assertThat(factory.validate(new RestoreBackupAction.Config("j", Optional.empty(), Optional.empty(),
                Optional.empty(), false, false, Optional.empty(), true))).extracting(ConfigProblem::field)
                .containsExactly("to");
        assertThat(factory.validate(new RestoreBackupAction.Config("j", Optional.empty(), database, Optional.empty(),
                true, false, Optional.empty(), true))).extracting(ConfigProblem::field).containsExactly("force");
        assertThat(factory.validate(new RestoreBackupAction.Config("j", to, Optional.empty(), Optional.of("dr-pg"),
                false, true, Optional.empty(), true))).extracting(ConfigProblem::field).containsExactly("into", "replace");
    }
}
