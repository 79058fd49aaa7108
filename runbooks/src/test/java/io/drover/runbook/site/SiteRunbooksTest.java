package io.drover.runbook.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.drover.core.catalog.Catalog;
import io.drover.core.catalog.CatalogSettings;
import io.drover.core.catalog.RunbookExecutionStatus;
import io.drover.core.catalog.RunbookStepRecord;
import io.drover.core.catalog.RunbookStepStatus;
import io.drover.core.config.ServiceConfig;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.spi.DatabaseFailover;
import io.drover.core.spi.FakeFailoverDatabase;
import io.drover.core.spi.FakeTrafficSwitch;
import io.drover.runbook.action.ActionRegistry;
import io.drover.runbook.engine.ExecutionResult;
import io.drover.runbook.engine.PlanReport;
import io.drover.runbook.engine.RunbookEngine;
import io.drover.runbook.engine.RunbookErrors;
import io.drover.runbook.engine.StepPlan;
import io.drover.runbook.engine.TestEngines;
import io.drover.runbook.model.Runbook;
import io.drover.runbook.parse.RunbookLibrary;
import io.drover.runbook.parse.RunbookParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * site-failover and site-failback generated from a business impact analysis in which orders
 * depends on payments, each with its own database and traffic switches, run by the engine against
 * in-memory databases and switches.
 */
class SiteRunbooksTest {
    private static final Pattern RUNNING = Pattern.compile("\\[([a-z0-9_-]+)] running ");
    private static final List<String> FAILOVER_STEPS = List.of(
            "payments-pg-before", "payments-pg-fence", "payments-pg-catch-up", "payments-pg-promote",
            "payments-lb-traffic", "payments-pg-after",
            "orders-pg-before", "orders-pg-fence", "orders-pg-catch-up", "orders-pg-promote",
            "orders-lb-traffic", "orders-dns-traffic", "orders-pg-after", "report");

    @TempDir
    Path dir;

    private Catalog catalog;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final TestEngines.RecordingServices services = new TestEngines.RecordingServices();
    private final FakeFailoverDatabase.Cluster orders = new FakeFailoverDatabase.Cluster();
    private final FakeFailoverDatabase.Cluster payments = new FakeFailoverDatabase.Cluster();
    private final FakeTrafficSwitch.Balancer ordersLb = new FakeTrafficSwitch.Balancer(Map.of("dc1", "o1", "dr1", "o2"));
    private final FakeTrafficSwitch.Balancer ordersDns = new FakeTrafficSwitch.Balancer(Map.of("dc1", "192.0.2.1",
            "dr1", "198.51.100.1"));
    private final FakeTrafficSwitch.Balancer paymentsLb = new FakeTrafficSwitch.Balancer(Map.of("dc1", "p1", "dr1", "p2"));
    private Map<String, ServiceConfig> bia;

    @BeforeEach
    void open() {
        catalog = Catalog.open(CatalogSettings.embedded(dir.resolve("state")));
        services.databases.put("orders-pg", new FakeFailoverDatabase(orders, Clock.systemUTC()));
        services.databases.put("payments-pg", new FakeFailoverDatabase(payments, Clock.systemUTC()));
        services.switches.put("orders-lb", new FakeTrafficSwitch(ordersLb, "orders-lb"));
        services.switches.put("orders-dns", new FakeTrafficSwitch(ordersDns, "orders-dns"));
        services.switches.put("payments-lb", new FakeTrafficSwitch(paymentsLb, "payments-lb"));
        ordersLb.setActive("dc1");
        ordersDns.setActive("dc1");
        paymentsLb.setActive("dc1");
        bia = new LinkedHashMap<>();
        bia.put("orders", service(List.of("payments"), List.of("orders-pg"), List.of("orders-lb", "orders-dns")));
        bia.put("payments", service(List.of(), List.of("payments-pg"), List.of("payments-lb")));
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    private static ServiceConfig service(List<String> dependsOn, List<String> databases, List<String> traffic) {
        return new ServiceConfig(1, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                dependsOn, List.of(), databases, traffic);
    }

    private RunbookEngine engine() {
        return TestEngines.engine(catalog, dir.resolve("state"), "op", lines::add, services);
    }

    private RunbookLibrary library(List<Path> configured) {
        return new RunbookLibrary(configured, getClass().getClassLoader(),
                new RunbookParser(ActionRegistry.discover(), Optional.of(Set.of()), System::getenv),
                List.of(new SiteRunbookGenerator(bia)));
    }

    private Runbook load(String name, Map<String, String> params) {
        return library(List.of()).load(name, params);
    }

    private ExecutionResult run(String name, Map<String, String> params) {
        ExecutionResult result = engine().run(load(name, params), params);
        assertThat(result.status()).as(String.join("\n", lines)).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        return result;
    }

    /** The steps that ran, in the order they started. */
    private List<String> started() {
        List<String> ids = new ArrayList<>();
        for (String line : lines) {
            Matcher m = RUNNING.matcher(line);
            if (m.find()) {
                ids.add(m.group(1));
            }
        }
        return ids;
    }

    private RunbookStepRecord step(long id, String stepId) {
        return catalog.runbookSteps(id).stream().filter(s -> s.stepId().equals(stepId)).findFirst().orElseThrow();
    }

    @Test
    void aFailoverPlanListsEveryStepDependenciesFirstAndChangesNothing() {
        Map<String, String> params = Map.of("service", "orders", "to", "dr1");

        PlanReport plan = engine().plan(load("site-failover", params), params);

        assertThat(plan.steps()).extracting(StepPlan::id).containsExactlyElementsOf(FAILOVER_STEPS);
        assertThat(plan.params()).containsEntry("service", "orders").containsEntry("planned", "false")
                .containsEntry("to", "dr1");
        assertThat(plan.source()).isEqualTo("generated from drover.yaml services.orders");
        assertThat(plan.description()).contains("payments (databases payments-pg; traffic payments-lb), then orders"
                + " (databases orders-pg; traffic orders-lb, orders-dns)");
        assertThat(plan.steps()).filteredOn(s -> s.id().equals("payments-pg-fence")).singleElement()
                .satisfies(s -> assertThat(s.summary()).hasValueSatisfying(t -> assertThat(t).contains("fence dc1")));
        assertThat(plan.steps()).filteredOn(s -> s.id().equals("orders-pg-catch-up")).singleElement()
                .satisfies(s -> assertThat(s.decision()).isEqualTo("decided at run time"));
        assertThat(orders.fences).isEmpty();
        assertThat(payments.fences).isEmpty();
        assertThat(orders.promotions).isEmpty();
        assertThat(payments.promotions).isEmpty();
        assertThat(ordersLb.routes.get() + ordersDns.routes.get() + paymentsLb.routes.get()).isZero();
    }

    @Test
    void aFailoverMovesPaymentsBeforeOrdersAndEachServicesSwitchesInOrder() throws Exception {
        payments.write("dc1", "payment-1");
        orders.write("dc1", "order-1");

        ExecutionResult result = run("site-failover", Map.of("service", "orders", "to", "dr1"));

        assertThat(started()).containsExactlyElementsOf(FAILOVER_STEPS);
        assertThat(payments.fences).containsExactly("dc1");
        assertThat(orders.fences).containsExactly("dc1");
        assertThat(payments.promotions).containsExactly("dr1");
        assertThat(orders.promotions).containsExactly("dr1");
        assertThat(paymentsLb.active()).containsExactly("dr1");
        assertThat(ordersLb.active()).containsExactly("dr1");
        assertThat(ordersDns.active()).containsExactly("dr1");
        assertThat(payments.has("dr1", "payment-1")).isTrue();
        assertThat(orders.has("dr1", "order-1")).isTrue();
        assertThat(step(result.id(), "orders-pg-after").outputs()).contains("\"primary\":\"dr1\"");
        assertThat(services.sent).singleElement().satisfies(text -> assertThat(text).contains(
                "site failover of orders to dr1", "dr1 is the primary of payments-pg (fenced [dc1], down [], data loss: none",
                "Traffic moved to dr1, in order: payments-lb, orders-lb, orders-dns"));
    }

    @Test
    void anUnplannedFailoverWithTheOldSiteDownCountsItDownAndSkipsTheCatchUp() throws Exception {
        orders.write("dc1", "order-1");
        orders.reachable("dc1", false);
        payments.reachable("dc1", false);

        ExecutionResult result = run("site-failover", Map.of("service", "orders", "to", "dr1"));

        assertThat(step(result.id(), "payments-pg-catch-up").status()).isEqualTo(RunbookStepStatus.SKIPPED);
        assertThat(step(result.id(), "orders-pg-catch-up").status()).isEqualTo(RunbookStepStatus.SKIPPED);
        assertThat(step(result.id(), "orders-pg-fence").outputs()).contains("\"down\":\"dc1\"");
        assertThat(orders.promotions).containsExactly("dr1");
        assertThat(payments.promotions).containsExactly("dr1");
        assertThat(ordersDns.active()).containsExactly("dr1");
        assertThat(services.sent).singleElement().satisfies(text -> assertThat(text)
                .contains("orders-pg (fenced [], down [dc1]", "Members counted as down must stay down"));
    }

    @Test
    void aPlannedFailoverSyncsFirstAndRefusesToCountAnUnreachablePrimaryAsDown() throws Exception {
        Map<String, String> params = Map.of("service", "payments", "to", "dr1", "planned", "true");
        Runbook runbook = load("site-failover", params);
        assertThat(runbook.steps()).extracting(s -> s.id()).containsExactly("payments-pg-before", "payments-pg-sync",
                "payments-pg-fence", "payments-pg-catch-up", "payments-pg-promote", "payments-lb-traffic",
                "payments-pg-after", "report");
        assertThat(runbook.text()).contains("unreachable-is-down: \"false\"", "max-lag: \"${params.max-lag}\"");

        payments.write("dc1", "payment-1");
        run("site-failover", params);
        assertThat(payments.promotions).containsExactly("dr1");
        assertThat(payments.has("dr1", "payment-1")).isTrue();
        assertThat(orders.promotions).as("orders depends on payments, not the other way round").isEmpty();
        assertThat(ordersLb.active()).containsExactly("dc1");
    }

    @Test
    void aFailbackReturnsEveryServiceDependenciesFirstWithoutLosingARowAndRejoinsBothSites() throws Exception {
        payments.write("dc1", "payment-before");
        orders.write("dc1", "order-before");
        run("site-failover", Map.of("service", "orders", "to", "dr1"));
        payments.write("dr1", "payment-on-dr");
        orders.write("dr1", "order-on-dr");
        lines.clear();

        Map<String, String> back = Map.of("service", "orders", "from", "dr1", "to", "dc1");
        ExecutionResult result = run("site-failback", back);

        assertThat(started()).containsExactly(
                "payments-pg-before", "payments-pg-rebuild", "payments-pg-sync", "payments-pg-fence", "payments-pg-catch-up",
                "payments-pg-promote", "payments-lb-traffic", "payments-pg-rejoin", "payments-pg-after",
                "orders-pg-before", "orders-pg-rebuild", "orders-pg-sync", "orders-pg-fence", "orders-pg-catch-up",
                "orders-pg-promote", "orders-lb-traffic", "orders-dns-traffic", "orders-pg-rejoin", "orders-pg-after",
                "report");
        for (FakeFailoverDatabase.Cluster cluster : List.of(payments, orders)) {
            assertThat(cluster.promotions).containsExactly("dr1", "dc1");
            assertThat(cluster.rejoins).containsExactly("dc1->dr1", "dr1->dc1");
            assertThat(cluster.role("dr1")).isEqualTo(DatabaseFailover.Role.STANDBY);
        }
        assertThat(paymentsLb.active()).containsExactly("dc1");
        assertThat(ordersLb.active()).containsExactly("dc1");
        assertThat(ordersDns.active()).containsExactly("dc1");
        payments.write("dc1", "payment-after");
        orders.write("dc1", "order-after");
        for (String member : List.of("dc1", "dr1")) {
            for (String row : List.of("payment-before", "payment-on-dr", "payment-after")) {
                assertThat(payments.has(member, row)).as("%s has %s", member, row).isTrue();
            }
            for (String row : List.of("order-before", "order-on-dr", "order-after")) {
                assertThat(orders.has(member, row)).as("%s has %s", member, row).isTrue();
            }
        }
        assertThat(step(result.id(), "orders-pg-after").outputs()).contains("\"primary\":\"dc1\"", "\"dr1-role\":\"standby\"");
    }

    @Test
    void resumeContinuesTheJournaledRunbookEvenAfterTheServicesChanged() throws Exception {
        ordersDns.setReachable(false);
        Map<String, String> params = Map.of("service", "orders", "to", "dr1");
        ExecutionResult failed = engine().run(load("site-failover", params), params);
        assertThat(failed.status()).isEqualTo(RunbookExecutionStatus.FAILED);
        assertThat(failed.message()).hasValueSatisfying(m -> assertThat(m).startsWith("orders-dns-traffic"));
        assertThat(ordersLb.active()).containsExactly("dr1");

        // drover.yaml changes meanwhile: orders no longer depends on payments and has no DNS name
        bia.put("orders", service(List.of(), List.of("orders-pg"), List.of("orders-lb")));
        assertThat(load("site-failover", params).steps()).extracting(s -> s.id()).doesNotContain("orders-dns-traffic");
        ordersDns.setReachable(true);
        lines.clear();

        ExecutionResult resumed = engine().resume(failed.id(), false);

        assertThat(resumed.status()).as(String.join("\n", lines)).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        assertThat(started()).containsExactly("orders-dns-traffic", "orders-pg-after", "report");
        assertThat(ordersDns.active()).containsExactly("dr1");
        assertThat(catalog.runbookSteps(failed.id())).extracting(RunbookStepRecord::stepId)
                .containsExactlyInAnyOrderElementsOf(FAILOVER_STEPS);
        assertThat(orders.promotions).containsExactly("dr1");
    }

    @Test
    void aDependencyCycleIsAClearError() {
        bia.put("payments", service(List.of("orders"), List.of("payments-pg"), List.of("payments-lb")));

        DroverException e = catchThrowableOfType(DroverException.class,
                () -> load("site-failover", Map.of("service", "orders", "to", "dr1")));

        assertThat(e.code()).isEqualTo(DroverErrors.CONFIG_INVALID);
        assertThat(e.getMessage()).contains("orders -> payments -> orders");
        assertThat(e.hint()).contains("depends-on");
    }

    @Test
    void aServiceMovesOnlyWhatItHasAndOneWithNothingToMoveIsRefused() {
        bia.put("reports", service(List.of(), List.of(), List.of()));
        bia.put("static-site", service(List.of("reports"), List.of(), List.of("static-lb")));

        Runbook trafficOnly = load("site-failover", Map.of("service", "static-site", "to", "dr1"));
        assertThat(trafficOnly.steps()).extracting(s -> s.id()).containsExactly("static-lb-traffic", "report");
        assertThat(trafficOnly.description()).contains("reports (nothing to move), then static-site (traffic static-lb)");

        DroverException nothing = catchThrowableOfType(DroverException.class,
                () -> load("site-failover", Map.of("service", "reports", "to", "dr1")));
        assertThat(nothing.code()).isEqualTo(RunbookErrors.PARAMETER_INVALID);
        assertThat(nothing.getMessage()).contains("service 'reports' has nothing to move");

        DroverException missing = catchThrowableOfType(DroverException.class,
                () -> load("site-failback", Map.of("from", "dr1", "to", "dc1")));
        assertThat(missing.code()).isEqualTo(RunbookErrors.PARAMETER_INVALID);
        assertThat(missing.getMessage()).contains("--param service=NAME is required");
        assertThat(missing.hint()).isEqualTo("services: orders, payments, reports, static-site");

        DroverException typo = catchThrowableOfType(DroverException.class,
                () -> load("site-failover", Map.of("service", "oders", "to", "dr1")));
        assertThat(typo.getMessage()).contains("no service 'oders'", "did you mean 'orders'?");
    }

    @Test
    void aDatabaseTwoServicesShareMovesOnceWithTheFirst() {
        bia.put("orders", service(List.of("payments"), List.of("payments-pg", "orders-pg"), List.of("orders-lb")));

        Runbook runbook = load("site-failover", Map.of("service", "orders", "to", "dr1"));

        assertThat(runbook.steps()).extracting(s -> s.id()).filteredOn(id -> id.endsWith("-promote"))
                .containsExactly("payments-pg-promote", "orders-pg-promote");
        assertThat(runbook.description()).contains("orders (databases orders-pg; traffic orders-lb; payments-pg moved already)");
    }

    @Test
    void theLibraryListsTheGeneratedRunbooksAndAConfiguredFileOfTheSameNameReplacesThem() throws Exception {
        assertThat(library(List.of()).generatable()).extracting(RunbookLibrary.Generatable::name)
                .containsExactly("site-failover", "site-failback");
        assertThat(library(List.of()).find()).doesNotContainKeys("site-failover", "site-failback");

        Path own = dir.resolve("site-failover.yaml");
        Files.writeString(own, """
                name: site-failover
                description: our own
                steps:
                  - { id: only, action: notify, with: { message: hi, optional: true } }
                """);
        RunbookLibrary configured = library(List.of(own));
        assertThat(configured.generatable()).extracting(RunbookLibrary.Generatable::name).containsExactly("site-failback");
        assertThat(configured.load("site-failover", Map.of()).description()).isEqualTo("our own");
    }
}
