package io.drover.it;

import static io.drover.it.FailoverSite.awaitReplayed;
import static io.drover.it.FailoverSite.execute;
import static io.drover.it.FailoverSite.ids;
import static io.drover.it.FailoverSite.inRecovery;
import static io.drover.it.FailoverSite.timeline;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover runbooks end to end, as an operator runs them (issue 6, must-shows 1–5): the shipped
 * {@code pg-switchover} and {@code site-failback} run by the drover CLI jar against a real
 * PostgreSQL primary and standby behind Debian's HAProxy, while an application writes through
 * HAProxy without pause; then the same runs killed with SIGKILL at every step boundary and in the
 * middle of steps, and resumed.
 */
class SwitchoverIT {
    @TempDir
    Path dir;

    private FailoverSite site;

    @BeforeEach
    void start() throws Exception {
        site = FailoverSite.start(dir);
        Files.writeString(dir.resolve("runbooks/promote-only.yaml"), """
                name: promote-only
                parameters:
                  to: { type: string }
                steps:
                  - { id: promote, action: database-promote, with: { database: orders-pg, member: "${params.to}" } }
                """);
    }

    @AfterEach
    void stop() throws Exception {
        if (site != null) {
            site.close();
        }
    }

    private static final String[] SWITCHOVER = {"runbook", "run", "pg-switchover", "--param", "database=orders-pg",
            "--param", "traffic=orders-lb", "--param", "to=dr1", "--yes"};
    /** site-failback is generated from services: (FailoverSite's orders: orders-pg behind orders-lb). */
    private static final String[] FAILBACK = {"runbook", "run", "site-failback", "--param", "service=orders",
            "--param", "from=dr1", "--param", "to=dc1", "--yes"};

    @Test
    void aSwitchoverUnderContinuousWritesLosesNoAcknowledgedWriteAndAFailbackReturnsWithoutLoss() throws Exception {
        Set<Long> acknowledged;
        try (WritingClient client = site.client()) {
            client.awaitMoreAcks(200, Duration.ofSeconds(30));

            // The plan changes nothing, and shows why a promotion now would be refused.
            Map<String, String> before = site.everything();
            CliResult plan = site.cli("runbook", "plan", "pg-switchover", "--param", "database=orders-pg", "--param",
                    "traffic=orders-lb", "--param", "to=dr1");
            assertThat(plan.exitCode()).as(plan.toString()).isZero();
            // Nothing blocks the run now; the guard and the rejoin hold only once the fence and promotion ran.
            assertThat(plan.out()).contains("sync", "fence dc1", "rejoin dc1", "LATER no other member is a writable primary"
                    + " (split-brain guard): dc1").doesNotContain("FAIL");
            assertThat(site.everything()).as("the state after the plan").isEqualTo(before);
            System.out.println("SwitchoverIT plan:\n" + plan.out());

            // A standby further behind than max-lag: the plan shows the failing precondition.
            execute(site.dr1(), "select pg_wal_replay_pause()");
            client.awaitMoreAcks(100, Duration.ofSeconds(30));
            CliResult lagging = site.cli("runbook", "plan", "pg-switchover", "--param", "database=orders-pg", "--param",
                    "traffic=orders-lb", "--param", "to=dr1", "--param", "max-lag=1KiB");
            execute(site.dr1(), "select pg_wal_replay_resume()");
            assertThat(lagging.out()).containsPattern("FAIL +dr1 is at most 1.0 KiB behind its primary: .* behind dc1, above the limit")
                    .contains("1 precondition fails now before anything changes (marked FAIL)");

            // Promoting while dc1 still takes writes is refused, and nothing changes.
            Map<String, String> beforeRefusal = site.everything();
            CliResult refused = site.cli("runbook", "run", "promote-only", "--param", "to=dr1", "--yes");
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(6);
            assertThat(refused.all()).contains("[promote] failed: precondition failed: no other member is a writable primary"
                    + " (split-brain guard) (dc1 (primary", "is reachable and writable and not fenced; fence it first");
            assertThat(site.everything()).as("the state after the refused promotion").isEqualTo(beforeRefusal);

            // The switchover, the client writing through HAProxy all along.
            long started = System.nanoTime();
            DroverProcess run = site.drover("switchover", SWITCHOVER);
            assertThat(run.waitFor(Duration.ofMinutes(3))).as(run.log()).isZero();
            long finished = System.nanoTime();
            client.awaitMoreAcks(200, Duration.ofSeconds(30));
            WritingClient.Ack firstOnDr1 = client.firstAckOn(site.dr1(), started).orElseThrow();
            WritingClient.Ack lastOnDc1 = client.lastAckOn(site.dc1()).orElseThrow();
            System.out.printf("SwitchoverIT: pg-switchover took %d ms (CLI start to exit, rejoin included); the first write"
                            + " on the new primary was acknowledged %d ms after the start; writes were refused for %d ms;"
                            + " %d client errors retried%n", (finished - started) / 1_000_000,
                    (firstOnDr1.nanos() - started) / 1_000_000, (firstOnDr1.nanos() - lastOnDc1.nanos()) / 1_000_000,
                    client.failures());
            System.out.println(run.stdout());
            assertThat(lastOnDc1.nanos()).as("no write on dc1 after the switch").isLessThan(firstOnDr1.nanos());
            assertThat(site.haproxy.serving()).containsExactly("pg2");
            assertThat(inRecovery(site.dr1())).isFalse();
            assertThat(inRecovery(site.dc1())).as("dc1 rejoined as a standby").isTrue();
            assertThat(timeline(site.dr1())).as("dr1 promoted once").isEqualTo(2);

            // Failback to dc1, still under writes.
            long failbackStarted = System.nanoTime();
            DroverProcess back = site.drover("failback", FAILBACK);
            assertThat(back.waitFor(Duration.ofMinutes(3))).as(back.log()).isZero();
            long failbackFinished = System.nanoTime();
            client.awaitMoreAcks(200, Duration.ofSeconds(30));
            WritingClient.Ack backOnDc1 = client.firstAckOn(site.dc1(), failbackStarted).orElseThrow();
            System.out.printf("SwitchoverIT: site-failback took %d ms; the first write on dc1 again %d ms after its start%n",
                    (failbackFinished - failbackStarted) / 1_000_000, (backOnDc1.nanos() - failbackStarted) / 1_000_000);
            assertThat(site.haproxy.serving()).containsExactly("pg1");
            assertThat(inRecovery(site.dc1())).isFalse();
            assertThat(inRecovery(site.dr1())).as("dr1 rejoined as a standby").isTrue();
            assertThat(timeline(site.dc1())).as("dc1 promoted once").isEqualTo(3);
            client.close();
            acknowledged = client.acknowledgedIds();
        }
        awaitReplayed(site.dc1(), site.dr1());
        Set<Long> onDc1 = ids(site.dc1());
        assertThat(onDc1).as("every acknowledged write is on dc1").containsAll(acknowledged);
        assertThat(ids(site.dr1())).as("dr1 has what dc1 has").isEqualTo(onDc1);
        System.out.println("SwitchoverIT: " + acknowledged.size() + " acknowledged writes, all on both members");
    }

    /**
     * Where to SIGKILL a run: when its output shows step {@code step} {@code running} or {@code done}
     * (succeeded, or found already done after an earlier kill), after {@code delayMillis};
     * {@code then} runs before the resume.
     */
    private record KillPoint(String step, String event, long delayMillis, SqlStep then) {
        static KillPoint after(String step) {
            return new KillPoint(step, "done", 0, () -> { });
        }

        static KillPoint during(String step, long delayMillis, SqlStep then) {
            return new KillPoint(step, "running", delayMillis, then);
        }

        Pattern line() {
            return Pattern.compile(Pattern.quote("[" + step + "] ") + (event.equals("running") ? "running"
                    : "(succeeded|already done)"));
        }
    }

    private static void awaitOutput(DroverProcess process, Pattern line) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!line.matcher(process.stdout()).find()) {
            assertThat(process.isAlive()).as("drover still runs, waiting for %s\n%s", line, process.log()).isTrue();
            assertThat(System.nanoTime()).as("waiting for %s\n%s", line, process.log()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @FunctionalInterface
    private interface SqlStep {
        void run() throws Exception;
    }

    /**
     * Starts {@code drover ARGS} and kills it with SIGKILL at each point in turn, resuming the
     * execution after every kill; the last resume runs to the end. Returns every process's output.
     */
    private List<String> runKilledAt(String name, List<KillPoint> points, String... args) throws Exception {
        List<String> outputs = new ArrayList<>();
        DroverProcess process = site.drover(name + "-0", args);
        long execution = -1;
        int round = 0;
        for (KillPoint point : points) {
            awaitOutput(process, point.line());
            Thread.sleep(point.delayMillis());
            process.sigkill();
            int exit = process.waitFor(Duration.ofSeconds(30));
            outputs.add(process.stdout());
            if (exit == 0) {
                // The run ended on its own before the kill (the last steps were quicker than the delay): the
                // remaining kill points have nothing left to kill.
                System.out.println("SwitchoverIT: " + name + " finished before the kill " + point.delayMillis()
                        + " ms after [" + point.step() + "] " + point.event());
                return outputs;
            }
            assertThat(exit).as(process.log()).isEqualTo(DroverProcess.SIGKILL_EXIT);
            if (execution < 0) {
                execution = FailoverSite.executionId(process.stdout());
            }
            System.out.println("SwitchoverIT: " + name + " killed " + point.delayMillis() + " ms after [" + point.step() + "] "
                    + point.event());
            point.then().run();
            process = site.drover(name + "-" + (++round), "runbook", "resume", String.valueOf(execution));
        }
        int exit = process.waitFor(Duration.ofMinutes(3));
        outputs.add(process.stdout());
        assertThat(exit).as(process.log()).isZero();
        return outputs;
    }

    /** How many processes ran step {@code promote}: a resumed promotion finds it done and says "already done". */
    private static long promotions(List<String> outputs, String promote) {
        return outputs.stream().flatMap(String::lines).filter(l -> l.contains("[" + promote + "] succeeded in")).count();
    }

    @Test
    void killedAtEveryStepBoundaryAndMidStepThenResumedEndsAsAnUninterruptedRunWithOnePromotionEach() throws Exception {
        try (WritingClient client = site.client()) {
            client.awaitMoreAcks(100, Duration.ofSeconds(30));
            List<String> switchover = runKilledAt("switchover", List.of(
                    KillPoint.after("before"),
                    new KillPoint("sync", "done", 0, () -> execute(site.dr1(), "select pg_wal_replay_pause()")),
                    // replay is paused: the catch-up after the fence waits, and is killed while it waits
                    KillPoint.during("catch-up", 500, () -> execute(site.dr1(), "select pg_wal_replay_resume()")),
                    KillPoint.after("catch-up"),
                    KillPoint.after("promote"),
                    KillPoint.after("traffic"),
                    KillPoint.during("rejoin", 700, () -> { })),
                    SWITCHOVER);
            client.awaitMoreAcks(100, Duration.ofSeconds(30));
            // A kill between the promotion and its journal entry leaves the next process to find it done, so at most
            // one process says it promoted; the timeline says the server was promoted exactly once.
            assertThat(promotions(switchover, "promote")).as("processes that promoted dr1").isLessThanOrEqualTo(1);
            assertThat(timeline(site.dr1())).as("dr1 promoted once").isEqualTo(2);
            assertThat(inRecovery(site.dr1())).isFalse();
            assertThat(inRecovery(site.dc1())).as("dc1 rejoined").isTrue();
            assertThat(site.haproxy.serving()).containsExactly("pg2");

            // the generated failback names its steps after the database and the switch
            List<String> failback = runKilledAt("failback", List.of(
                    KillPoint.after("orders-pg-sync"),
                    KillPoint.after("orders-pg-fence"),
                    KillPoint.after("orders-pg-catch-up"),
                    KillPoint.after("orders-pg-promote"),
                    KillPoint.after("orders-lb-traffic"),
                    KillPoint.during("orders-pg-rejoin", 700, () -> { })),
                    FAILBACK);
            client.awaitMoreAcks(100, Duration.ofSeconds(30));
            assertThat(promotions(failback, "orders-pg-promote")).as("processes that promoted dc1").isLessThanOrEqualTo(1);
            assertThat(timeline(site.dc1())).as("dc1 promoted once more").isEqualTo(3);
            assertThat(inRecovery(site.dc1())).isFalse();
            assertThat(inRecovery(site.dr1())).as("dr1 rejoined").isTrue();
            assertThat(site.haproxy.serving()).containsExactly("pg1");
            client.close();
            awaitReplayed(site.dc1(), site.dr1());
            Set<Long> onDc1 = ids(site.dc1());
            assertThat(onDc1).containsAll(client.acknowledgedIds());
            assertThat(ids(site.dr1())).isEqualTo(onDc1);
            System.out.println("SwitchoverIT: killed 13 times and resumed; " + client.acknowledgedIds().size()
                    + " acknowledged writes, all on both members; " + client.failures() + " client errors retried");
        }
    }
}
