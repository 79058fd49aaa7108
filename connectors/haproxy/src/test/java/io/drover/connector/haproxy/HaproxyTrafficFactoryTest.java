package io.drover.connector.haproxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.spi.ConfigProblem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HaproxyTrafficFactoryTest {
    private final HaproxyTrafficFactory factory = new HaproxyTrafficFactory();

    @Test
    void theConfigBindsFromYamlWithItsDefault() {
        Path file = Path.of("drover.yaml");
        io.drover.core.config.BindResult<HaproxyConfig> result = new io.drover.core.config.ConfigBinder(file, Map.<String, String>of()::get)
                .bind(io.drover.core.config.YamlTreeReader.read(file, """
                        socket: /run/haproxy/admin.sock
                        backend: pg_rw
                        servers: { dc1: pg1, dr1: pg2 }
                        """).root(), HaproxyConfig.class);
        assertThat(result.problems()).isEmpty();
        HaproxyConfig config = result.value();
        assertThat(config.socket()).isEqualTo(Path.of("/run/haproxy/admin.sock"));
        assertThat(config.servers()).containsExactly(Map.entry("dc1", "pg1"), Map.entry("dr1", "pg2"));
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(factory.validate(config)).isEmpty();
    }

    @Test
    void aGoodConfigHasNoProblems() {
        assertThat(factory.type()).isEqualTo("haproxy");
        assertThat(factory.validate(new HaproxyConfig(Path.of("/run/haproxy/admin.sock"), "pg_rw",
                Map.of("dc1", "pg1", "dr1", "pg2"), Duration.ofSeconds(5)))).isEmpty();
    }

    @Test
    void reportsEveryProblem() {
        assertThat(factory.validate(new HaproxyConfig(Path.of("admin.sock"), "pg rw", Map.of(), Duration.ZERO)))
                .extracting(ConfigProblem::field).containsExactly("socket", "backend", "servers", "timeout");
        assertThat(factory.validate(new HaproxyConfig(Path.of("/a.sock"), "pg_rw",
                new java.util.TreeMap<>(Map.of("dc1", "pg1", "dr1", "pg1", "x", "bad/name")), Duration.ofSeconds(1))))
                .extracting(ConfigProblem::message)
                .containsExactly("server pg1 is named by two members; each member needs its own server",
                        "server of x must be a HAProxy server name (letters, digits, _ . : -), got 'bad/name'");
    }
}
