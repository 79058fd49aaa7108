package io.drover.connector.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.spi.TrafficSwitch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What HTTP clients of nginx see when the switch routes, and how a refused config is undone. */
class NginxTrafficTest {
    private TestingNginx nginx;

    @BeforeEach
    void start() throws Exception {
        nginx = new TestingNginx();
    }

    @AfterEach
    void stop() throws Exception {
        nginx.close();
    }

    private TrafficSwitch web() {
        return new NginxSwitch(nginx.switchConfig(), Clock.systemUTC());
    }

    private void everyRequestIsAnsweredBy(String backend) throws IOException {
        for (int i = 0; i < 50; i++) {
            assertThat(nginx.get()).as("request %d", i).isEqualTo(backend);
        }
    }

    @Test
    void requestsThroughNginxReachTheServerRoutedToFromTheMomentRouteToReturns() throws Exception {
        try (TrafficSwitch web = web()) {
            assertThat(web.state().active()).as("the fixture's include balances over both").containsExactly("dc1", "dr1");
            web.routeTo("dr1");
            everyRequestIsAnsweredBy("dr1");
            assertThat(web.state().details()).containsEntry("dr1", nginx.address("dr1") + ": active")
                    .containsEntry("dc1", nginx.address("dc1") + ": down");
            web.routeTo("dc1");
            everyRequestIsAnsweredBy("dc1");
        }
        String include = Files.readString(nginx.include);
        assertThat(include).startsWith("# Written by drover: upstream app sends its traffic to dc1 (")
                .contains("server " + nginx.address("dc1") + ";  # dc1\n", "server " + nginx.address("dr1") + " down;  # dr1\n");
    }

    @Test
    void requestsIssuedContinuouslyDuringSwitchesNeverFail() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        List<Thread> clients = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clients.add(Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    try {
                        String backend = nginx.get();
                        if (!backend.equals("dc1") && !backend.equals("dr1")) {
                            failures.add("unexpected answer " + backend);
                        }
                        answered.incrementAndGet();
                    } catch (IOException e) {
                        failures.add(e.toString());
                    }
                }
            }));
        }
        try (TrafficSwitch web = web()) {
            for (String target : List.of("dr1", "dc1", "dr1", "dc1")) {
                web.routeTo(target);
                assertThat(nginx.get()).as("the first request after routeTo(%s) returned", target).isEqualTo(target);
            }
        } finally {
            running.set(false);
            for (Thread client : clients) {
                client.join();
            }
        }
        assertThat(failures).as("failed requests during the switches").isEmpty();
        assertThat(answered.get()).as("requests answered during the switches").isGreaterThan(20);
    }

    @Test
    void aConfigThatNginxRefusesIsUndoneByteForByteAndNginxKeepsServing() throws Exception {
        try (TrafficSwitch web = web()) {
            web.routeTo("dc1");
            byte[] before = Files.readAllBytes(nginx.include);
            var modified = Files.getLastModifiedTime(nginx.include);
            Files.writeString(nginx.config, nginx.configText("  no_such_directive on;\n"));

            assertThatThrownBy(() -> web.routeTo("dr1")).isInstanceOf(IOException.class)
                    .hasMessageContaining(web.describe())
                    .hasMessageContaining("nginx -t refused the config with the include routing to dr1")
                    .hasMessageContaining("the previous include is back in place")
                    .hasMessageContaining("unknown directive \"no_such_directive\"");
            assertThat(Files.readAllBytes(nginx.include)).isEqualTo(before);
            assertThat(Files.getLastModifiedTime(nginx.include)).isEqualTo(modified);
            assertThat(nginx.dir.resolve("drover")).isDirectoryNotContaining("glob:**.drover-tmp");
            everyRequestIsAnsweredBy("dc1");
            assertThat(web.state().active()).containsExactly("dc1");
        }
        try (TrafficSwitch fresh = web()) {
            assertThatThrownBy(() -> fresh.routeTo("dr1")).as("a new switch cannot even find the pid file in a refused config")
                    .isInstanceOf(IOException.class).hasMessageContaining(fresh.describe())
                    .hasMessageContaining("unknown directive \"no_such_directive\"");
        }
        Files.writeString(nginx.config, nginx.configText(""));
        try (TrafficSwitch web = web()) {
            web.routeTo("dr1");
            everyRequestIsAnsweredBy("dr1");
        }
    }

    @Test
    void anIncludeWrittenWithoutAReloadIsNotReportedAsNginxsStateAndRouteToReloadsIt() throws Exception {
        try (TrafficSwitch web = web()) {
            web.routeTo("dc1");
            Files.writeString(nginx.include, UpstreamInclude.render(TestingNginx.UPSTREAM, nginx.servers(), "dr1", Instant.now()));
            // Dated clearly after the workers' start: a write within 10 ms of it could not be ordered.
            Files.setLastModifiedTime(nginx.include, FileTime.from(Instant.now().plusMillis(100)));
            assertThatThrownBy(web::state).isInstanceOf(IOException.class).hasMessageContaining(web.describe())
                    .hasMessageContaining("nginx has not loaded the include");
            everyRequestIsAnsweredBy("dc1");

            byte[] written = Files.readAllBytes(nginx.include);
            web.routeTo("dr1");
            assertThat(Files.readAllBytes(nginx.include)).as("the include already said dr1: reloaded, not rewritten").isEqualTo(written);
            everyRequestIsAnsweredBy("dr1");
            assertThat(web.state().active()).containsExactly("dr1");
        }
    }

    @Test
    void aStalePidFileIsNotMistakenForARunningNginx() throws Exception {
        try (TrafficSwitch web = web()) {
            web.state();
            String master = Files.readString(nginx.pidFile);
            Files.writeString(nginx.pidFile, ProcessHandle.current().pid() + "\n");
            assertThatThrownBy(web::state).isInstanceOf(IOException.class).hasMessageContaining(web.describe())
                    .hasMessageContaining("is not an nginx master").hasMessageContaining("the pid file is stale");
            Files.writeString(nginx.pidFile, "");
            assertThatThrownBy(() -> web.routeTo("dr1")).isInstanceOf(IOException.class)
                    .hasMessageContaining("nginx is not running: its pid file " + nginx.pidFile + " is empty");
            Files.writeString(nginx.pidFile, master);
            assertThat(web.state().active()).containsExactly("dc1", "dr1");
        }
    }

    @Test
    void theUpstreamsStateNamesTrafficToServersThatNoMemberNames() throws Exception {
        NginxConfig onlyDc1 = new NginxConfig(TestingNginx.UPSTREAM, nginx.include, Map.of("dc1", nginx.address("dc1")),
                TestingNginx.NGINX, nginx.switchConfig().config(), nginx.switchConfig().timeout());
        try (TrafficSwitch web = new NginxSwitch(onlyDc1, Clock.systemUTC())) {
            assertThat(web.state().details().get("dc1"))
                    .isEqualTo(nginx.address("dc1") + ": active; the include also sends traffic to " + nginx.address("dr1"));
        }
    }
}
