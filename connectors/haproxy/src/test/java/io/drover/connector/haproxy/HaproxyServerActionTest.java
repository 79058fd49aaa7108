package io.drover.connector.haproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.connector.haproxy.HaproxyServerAction.Config;
import io.drover.core.spi.FakeTrafficSwitch;
import io.drover.core.spi.action.Action;
import io.drover.core.spi.action.ActionContext;
import io.drover.core.spi.action.ActionFailedException;
import io.drover.core.spi.action.ActionOutputs;
import io.drover.core.spi.action.ActionPlan;
import io.drover.core.spi.action.CheckOutcome;
import io.drover.core.spi.action.Precondition;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** haproxy-server against a real haproxy: what it changes, what HAProxy then reports, and what it refuses. */
class HaproxyServerActionTest {
    @TempDir
    Path dir;

    private TestingHaproxy haproxy;
    private io.drover.core.testing.TestActionServices services;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        haproxy = new TestingHaproxy(dir);
        services = new io.drover.core.testing.TestActionServices()
                .withTraffic("orders-lb", () -> new HaproxySwitch(haproxy.config(HaproxySwitchContractTest.targets())))
                .withTraffic("dns", () -> new FakeTrafficSwitch(new FakeTrafficSwitch.Balancer(Map.of("dc1", "10.0.0.1")), "dns"));
    }

    @AfterEach
    void stop() throws Exception {
        haproxy.close();
    }

    private ActionContext context(String stepId) {
        return services.context(stepId, dir.resolve("state"), log::add);
    }

    /** A step on target {@code dc1} (server pg1) of orders-lb. */
    private static Action step(Optional<ServerAdminState> state, Optional<Integer> weight, Optional<Duration> waitSessions) {
        return onServer("orders-lb", Optional.of("dc1"), Optional.empty(), state, weight, waitSessions);
    }

    private static Action onServer(String traffic, Optional<String> target, Optional<String> server, Optional<ServerAdminState> state,
                                   Optional<Integer> weight, Optional<Duration> waitSessions) {
        Config config = new Config(traffic, target, server, state, weight, waitSessions);
        assertThat(new HaproxyServerAction.Factory().validate(config)).isEmpty();
        return new HaproxyServerAction.Factory().create(config);
    }

    private String runtimeApi(String command) throws IOException {
        return new RuntimeApi(haproxy.socket, Duration.ofSeconds(5)).execute(command);
    }

    /** Column {@code column} of server {@code server}'s line in HAProxy's own {@code show stat} CSV. */
    private String showStat(String server, String column) throws IOException {
        List<String> lines = runtimeApi("show stat").lines().toList();
        List<String> header = Arrays.asList(lines.getFirst().substring(2).split(",", -1));
        String[] row = lines.stream().filter(l -> l.startsWith(TestingHaproxy.BACKEND + "," + server + ",")).findFirst().orElseThrow()
                .split(",", -1);
        return row[header.indexOf(column)];
    }

    private String greetingThroughTheFrontend() throws IOException {
        try (Socket socket = haproxy.connect()) {
            return TestingHaproxy.readLine(socket);
        }
    }

    @Test
    void drainsAServerThenMakesItReadyAgain() throws Exception {
        Action drain = step(Optional.of(ServerAdminState.DRAIN), Optional.empty(), Optional.empty());
        assertThat(drain.check(context("drain")).done()).isFalse();

        ActionOutputs drained = drain.run(context("drain"));

        assertThat(drained.values()).containsExactly(Map.entry("previous-state", "ready"), Map.entry("previous-weight", "1"),
                Map.entry("state", "drain"), Map.entry("weight", "1"), Map.entry("sessions", "0"));
        assertThat(showStat("pg1", "status")).isEqualTo("DRAIN");
        for (int i = 0; i < 4; i++) {
            assertThat(greetingThroughTheFrontend()).as("a drained server gets no new connections").isEqualTo("pg2");
        }
        CheckOutcome again = drain.check(context("drain"));
        assertThat(again.done()).isTrue();
        assertThat(again.detail()).isEqualTo("pg_rw/pg1 (target dc1 of orders-lb) already has state drain");
        assertThat(again.outputs()).isEqualTo(drained);
        // The session count is HAProxy's at that moment: a connection an earlier test closed may still be counted.
        assertThat(log).anyMatch(l -> l.matches("setting pg_rw/pg1 \\(target dc1 of orders-lb\\) to state drain; before: READY, UP,"
                + " weight 1, \\d+ sessions?"));

        ActionOutputs ready = step(Optional.of(ServerAdminState.READY), Optional.empty(), Optional.empty()).run(context("ready"));

        assertThat(ready.values()).containsEntry("previous-state", "drain").containsEntry("state", "ready");
        try (HaproxySwitch lb = new HaproxySwitch(haproxy.config(HaproxySwitchContractTest.targets()))) {
            assertThat(lb.state().active()).containsExactly("dc1", "dr1");
        }
    }

    @Test
    void aWeightChangeIsWhatShowStatReports() throws Exception {
        Action weigh = onServer("orders-lb", Optional.empty(), Optional.of("pg2"), Optional.empty(), Optional.of(7), Optional.empty());
        ActionPlan plan = weigh.plan(context("weigh"));
        assertThat(plan.summary()).isEqualTo("set server pg2 of orders-lb to weight 7");
        assertThat(plan.preconditions()).singleElement().satisfies(p -> {
            assertThat(p.passed()).isTrue();
            assertThat(p.detail()).isEqualTo("pg_rw/pg2 now READY, UP, weight 1, 0 sessions; would change weight 1 → 7");
        });
        assertThat(showStat("pg2", "weight")).as("plan changes nothing").isEqualTo("1");

        ActionOutputs outputs = weigh.run(context("weigh"));

        assertThat(showStat("pg2", "weight")).isEqualTo("7");
        assertThat(showStat("pg2", "uweight")).isEqualTo("7");
        assertThat(outputs.values()).containsEntry("previous-weight", "1").containsEntry("weight", "7")
                .containsEntry("previous-state", "ready").containsEntry("state", "ready");
        assertThat(weigh.plan(context("weigh")).preconditions().getFirst().detail()).endsWith("; nothing to change");
    }

    @Test
    void maintTakesTheServerOutOfTraffic() throws Exception {
        Action maint = onServer("orders-lb", Optional.of("dr1"), Optional.empty(), Optional.of(ServerAdminState.MAINT), Optional.empty(),
                Optional.empty());

        ActionOutputs outputs = maint.run(context("maint"));

        assertThat(outputs.values()).containsEntry("state", "maint").containsEntry("previous-state", "ready");
        assertThat(showStat("pg2", "status")).isEqualTo("MAINT");
        try (HaproxySwitch lb = new HaproxySwitch(haproxy.config(HaproxySwitchContractTest.targets()))) {
            assertThat(lb.state().active()).containsExactly("dc1");
        }
        for (int i = 0; i < 4; i++) {
            assertThat(greetingThroughTheFrontend()).isEqualTo("pg1");
        }
        assertThat(maint.check(context("maint")).done()).isTrue();
    }

    @Test
    void waitSessionsReturnsOnceTheLastConnectionThroughTheFrontendCloses() throws Exception {
        Socket open = haproxy.connect();
        String server = TestingHaproxy.readLine(open);
        assertThat(showStat(server, "scur")).isEqualTo("1");
        Action drain = onServer("orders-lb", Optional.empty(), Optional.of(server), Optional.of(ServerAdminState.DRAIN), Optional.empty(),
                Optional.of(Duration.ofSeconds(30)));
        assertThat(drain.plan(context("drain")).preconditions().getFirst().detail())
                .isEqualTo("pg_rw/" + server + " now READY, UP, weight 1, 1 session; would change state READY → DRAIN");

        CompletableFuture<ActionOutputs> running = CompletableFuture.supplyAsync(() -> {
            try {
                return drain.run(context("drain"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> log.stream().anyMatch(l -> l.startsWith("waiting up to")));
        assertThat(log).anyMatch(l -> l.contains("for the 1 current session of pg_rw/" + server + " to end"));
        assertThat(running).isNotDone();
        assertThat(drain.check(context("drain")).done()).as("drained, but a session is still open").isFalse();

        open.close();

        ActionOutputs outputs = running.get(10, TimeUnit.SECONDS);
        assertThat(outputs.values()).containsEntry("state", "drain").containsEntry("sessions", "0");
        assertThat(drain.check(context("drain")).done()).isTrue();
    }

    @Test
    void waitSessionsFailsNamingTheServerWhenASessionOutlastsIt() throws Exception {
        try (Socket open = haproxy.connect()) {
            String server = TestingHaproxy.readLine(open);
            Action maint = onServer("orders-lb", Optional.empty(), Optional.of(server), Optional.of(ServerAdminState.MAINT),
                    Optional.empty(), Optional.of(Duration.ofSeconds(1)));

            assertThatThrownBy(() -> maint.run(context("maint"))).isInstanceOf(ActionFailedException.class)
                    .hasMessage("pg_rw/" + server + " still has 1 current session after PT1S (wait-sessions PT1S); HAProxy's show stat"
                            + " reports it MAINT, scur 1; pg_rw/" + server + " stays in maint");
            assertThat(showStat(server, "status")).isEqualTo("MAINT");
        }
    }

    @Test
    void undoRestoresThePreviousStateAndWeight() throws Exception {
        Action drainAndWeigh = step(Optional.of(ServerAdminState.DRAIN), Optional.of(0), Optional.empty());
        ActionOutputs outputs = drainAndWeigh.run(context("drain"));
        assertThat(showStat("pg1", "status")).isEqualTo("DRAIN");
        assertThat(showStat("pg1", "weight")).isEqualTo("0");

        drainAndWeigh.undo(context("drain"), outputs);

        assertThat(showStat("pg1", "status")).as("ready; the test's servers have no health check").isEqualTo("no check");
        assertThat(showStat("pg1", "weight")).isEqualTo("1");
        assertThat(log).contains("restoring pg_rw/pg1 (target dc1 of orders-lb) to state ready, weight 1");
    }

    @Test
    void aRetriedStepReportsWhatTheServerHadBeforeItsFirstAttempt() throws Exception {
        Action maint = step(Optional.of(ServerAdminState.MAINT), Optional.empty(), Optional.empty());
        maint.run(context("maint"));

        ActionOutputs retried = maint.run(context("maint"));

        assertThat(retried.values()).containsEntry("previous-state", "ready");
        assertThat(maint.check(context("maint")).outputs().values()).containsEntry("previous-state", "ready");
    }

    @Test
    void anUnknownTargetOrServerFailsNamingTheKnownOnes() throws Exception {
        Action unknownTarget = onServer("orders-lb", Optional.of("dc9"), Optional.empty(), Optional.of(ServerAdminState.DRAIN),
                Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> unknownTarget.run(context("drain"))).isInstanceOf(ActionFailedException.class)
                .hasMessage("traffic switch orders-lb has no target 'dc9'; its targets: dc1, dr1");
        assertThat(unknownTarget.plan(context("drain")).preconditions()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("target dc9 of orders-lb is a server of a haproxy switch");
            assertThat(p.passed()).isFalse();
        });

        Action unknownServer = onServer("orders-lb", Optional.empty(), Optional.of("pg9"), Optional.empty(), Optional.of(3),
                Optional.empty());
        assertThatThrownBy(() -> unknownServer.run(context("weigh"))).isInstanceOf(ActionFailedException.class)
                .hasMessageContaining("cannot read the state of pg_rw/pg9")
                .hasMessageContaining("backend pg_rw has no server pg9; its servers: [pg1, pg2]");
        assertThat(showStat("pg1", "status") + " " + showStat("pg2", "status")).as("nothing changed").isEqualTo("no check no check");
    }

    @Test
    void aSwitchOfAnotherTypeOrNoSwitchIsRefused() {
        Action onDns = onServer("dns", Optional.of("dc1"), Optional.empty(), Optional.of(ServerAdminState.DRAIN), Optional.empty(),
                Optional.empty());
        assertThatThrownBy(() -> onDns.run(context("drain"))).isInstanceOf(ActionFailedException.class)
                .hasMessage("traffic switch dns is fake switch dns, not of type haproxy; haproxy-server only works with a switch"
                        + " of type: haproxy");
        assertThat(onDns.plan(context("drain")).preconditions()).extracting(Precondition::passed).containsExactly(false);

        Action undefined = onServer("nowhere", Optional.of("dc1"), Optional.empty(), Optional.of(ServerAdminState.DRAIN), Optional.empty(),
                Optional.empty());
        assertThatThrownBy(() -> undefined.check(context("drain"))).isInstanceOf(ActionFailedException.class)
                .hasMessage("no traffic switch 'nowhere' under traffic:; defined: orders-lb, dns");
    }
}
