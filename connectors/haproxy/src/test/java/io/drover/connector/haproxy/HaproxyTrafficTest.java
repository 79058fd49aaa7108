package io.drover.connector.haproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.spi.TrafficState;
import io.drover.core.spi.TrafficSwitch;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What clients of the frontend see when the switch routes, and what HAProxy's refusals look like. */
class HaproxyTrafficTest {
    @TempDir
    Path dir;

    private TestingHaproxy haproxy;

    @BeforeEach
    void start() throws Exception {
        haproxy = new TestingHaproxy(dir);
    }

    @AfterEach
    void stop() throws Exception {
        haproxy.close();
    }

    private TrafficSwitch lb() {
        return new HaproxySwitch(haproxy.config(HaproxySwitchContractTest.targets()));
    }

    private String greetingThroughTheFrontend() throws IOException {
        try (Socket socket = haproxy.connect()) {
            return TestingHaproxy.readLine(socket);
        }
    }

    @Test
    void connectionsThroughTheFrontendReachTheServerRoutedTo() throws Exception {
        try (TrafficSwitch lb = lb()) {
            assertThat(lb.state().active()).as("a fresh haproxy balances over both").containsExactly("dc1", "dr1");
            lb.routeTo("dr1");
            for (int i = 0; i < 6; i++) {
                assertThat(greetingThroughTheFrontend()).isEqualTo("pg2");
            }
            lb.routeTo("dc1");
            for (int i = 0; i < 6; i++) {
                assertThat(greetingThroughTheFrontend()).isEqualTo("pg1");
            }
            assertThat(lb.state().details()).containsEntry("dc1", "pg1: READY, UP, weight 1")
                    .containsEntry("dr1", "pg2: MAINT, DOWN, weight 1");
        }
    }

    @Test
    void anEstablishedConnectionToTheOldServerIsCutSoNoClientKeepsWritingToIt() throws Exception {
        try (TrafficSwitch lb = lb()) {
            lb.routeTo("dc1");
            try (Socket old = haproxy.connect()) {
                assertThat(TestingHaproxy.readLine(old)).isEqualTo("pg1");
                PrintWriter out = new PrintWriter(old.getOutputStream(), true);
                out.println("insert 1");
                assertThat(TestingHaproxy.readLine(old)).isEqualTo("pg1: insert 1");

                lb.routeTo("dr1");

                String after;
                try {
                    out.println("insert 2");
                    after = TestingHaproxy.readLine(old);
                } catch (IOException e) {
                    after = null; // reset by haproxy: cut, as it should be
                }
                assertThat(after).as("the session to the old server was shut down").isNull();
            }
            assertThat(greetingThroughTheFrontend()).isEqualTo("pg2");
        }
    }

    @Test
    void aDrainedOrWeightlessServerDoesNotCountAsTakingTraffic() throws Exception {
        RuntimeApi api = new RuntimeApi(haproxy.socket, java.time.Duration.ofSeconds(5));
        HaproxyConfig quick = new HaproxyConfig(haproxy.socket, TestingHaproxy.BACKEND, HaproxySwitchContractTest.targets(),
                java.time.Duration.ofMillis(500));
        try (TrafficSwitch lb = new HaproxySwitch(quick)) {
            assertThat(api.execute("set server pg_rw/pg2 state drain")).isBlank();
            TrafficState state = lb.state();
            assertThat(state.active()).containsExactly("dc1");
            assertThat(state.details().get("dr1")).isEqualTo("pg2: DRAIN, UP, weight 1");

            assertThat(api.execute("set server pg_rw/pg2 state ready")).isBlank();
            assertThat(api.execute("set weight pg_rw/pg2 0")).isBlank();
            assertThat(lb.state().active()).containsExactly("dc1");
            assertThatThrownBy(() -> lb.routeTo("dr1")).isInstanceOf(IOException.class)
                    .hasMessageContaining("after routing to dr1 the servers taking traffic are []")
                    .hasMessageContaining("weight 0");
        }
    }

    @Test
    void aServerDisabledInTheConfigurationIsRefusedWithWhatToChangeBeforeAnythingChanges(@TempDir Path other) throws Exception {
        try (TestingHaproxy disabled = new TestingHaproxy(other, "disabled");
             TrafficSwitch lb = new HaproxySwitch(disabled.config(HaproxySwitchContractTest.targets()))) {
            assertThat(lb.state().active()).containsExactly("dc1");
            assertThatThrownBy(() -> lb.routeTo("dr1")).isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("server pg2 (dr1) is disabled in haproxy's configuration")
                    .hasMessageContaining("remove 'disabled' and reload haproxy");
            assertThat(lb.state().active()).as("nothing changed").containsExactly("dc1");
        }
    }

    @Test
    void refusalsFromHaproxyAreIoExceptionsNamingTheCommand() throws Exception {
        HaproxyConfig noBackend = new HaproxyConfig(haproxy.socket, "no_such_backend", Map.of("dc1", "pg1", "dr1", "pg2"),
                java.time.Duration.ofSeconds(5));
        try (TrafficSwitch lb = new HaproxySwitch(noBackend)) {
            assertThatThrownBy(lb::state).isInstanceOf(IOException.class)
                    .hasMessageContaining("show servers state no_such_backend").hasMessageContaining("Can't find backend");
        }
        HaproxyConfig noServer = haproxy.config(Map.of("dc1", "pg1", "dr1", "pg9"));
        try (TrafficSwitch lb = new HaproxySwitch(noServer)) {
            assertThatThrownBy(() -> lb.routeTo("dc1")).isInstanceOf(IOException.class)
                    .hasMessageContaining("backend pg_rw has no server pg9; its servers: [pg1, pg2]");
        }
        // nothing was changed by the refused attempts
        try (TrafficSwitch lb = lb()) {
            assertThat(lb.state().active()).containsExactly("dc1", "dr1");
        }
        try (HaproxySwitch lb = new HaproxySwitch(haproxy.config(HaproxySwitchContractTest.targets()))) {
            assertThatThrownBy(() -> lb.change("set server pg_rw/pg9 state maint")).isInstanceOf(IOException.class)
                    .hasMessageContaining("HAProxy refused 'set server pg_rw/pg9 state maint'").hasMessageContaining("No such server");
        }
    }
}
