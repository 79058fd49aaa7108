package io.drover.connector.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.config.BindResult;
import io.drover.core.config.ConfigBinder;
import io.drover.core.config.YamlTreeReader;
import io.drover.core.spi.ConfigProblem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NginxTrafficFactoryTest {
    private final NginxTrafficFactory factory = new NginxTrafficFactory();

    @TempDir
    Path dir;

    private static BindResult<NginxConfig> bind(String yaml) {
        Path file = Path.of("drover.yaml");
        return new ConfigBinder(file, Map.<String, String>of()::get).bind(YamlTreeReader.read(file, yaml).root(), NginxConfig.class);
    }

    @Test
    void theConfigBindsFromYamlWithItsDefaults() {
        BindResult<NginxConfig> result = bind("""
                upstream: orders_backend
                include: %s/orders_backend.conf
                servers: { dc1: "10.0.0.1:8080", dr1: "10.0.1.1:8080" }
                """.formatted(dir));
        assertThat(result.problems()).isEmpty();
        NginxConfig config = result.value();
        assertThat(config.upstream()).isEqualTo("orders_backend");
        assertThat(config.include()).isEqualTo(dir.resolve("orders_backend.conf"));
        assertThat(config.servers()).containsExactly(Map.entry("dc1", "10.0.0.1:8080"), Map.entry("dr1", "10.0.1.1:8080"));
        assertThat(config.nginx()).isEqualTo(Path.of("/usr/sbin/nginx"));
        assertThat(config.config()).isEmpty();
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(factory.validate(config)).isEmpty();
    }

    @Test
    void everyKeyBindsFromYaml() {
        BindResult<NginxConfig> result = bind("""
                upstream: orders_backend
                include: /etc/nginx/drover/orders_backend.conf
                servers: { dc1: "db1.example.net:8080", dr1: "[2001:db8::1]:8080" }
                nginx: /usr/local/sbin/nginx
                config: /etc/nginx/nginx.conf
                timeout: 30s
                """);
        assertThat(result.problems()).isEmpty();
        assertThat(result.value()).isEqualTo(new NginxConfig("orders_backend", Path.of("/etc/nginx/drover/orders_backend.conf"),
                Map.of("dc1", "db1.example.net:8080", "dr1", "[2001:db8::1]:8080"), Path.of("/usr/local/sbin/nginx"),
                Optional.of(Path.of("/etc/nginx/nginx.conf")), Duration.ofSeconds(30)));
    }

    @Test
    void anUnknownKeyIsAnError() {
        assertThat(bind("""
                upstream: orders_backend
                include: /etc/nginx/drover/orders_backend.conf
                servers: { dc1: "10.0.0.1:8080" }
                pidfile: /run/nginx.pid
                """).problems()).isNotEmpty();
    }

    @Test
    void aGoodConfigHasNoProblems() {
        assertThat(factory.type()).isEqualTo("nginx");
        assertThat(factory.configType()).isEqualTo(NginxConfig.class);
        assertThat(factory.validate(new NginxConfig("orders_backend", dir.resolve("orders_backend.conf"),
                Map.of("dc1", "10.0.0.1:8080", "dr1", "10.0.1.1:8080"), Path.of("/usr/sbin/nginx"), Optional.empty(),
                Duration.ofSeconds(10)))).isEmpty();
    }

    @Test
    void reportsEveryProblem() {
        assertThat(factory.validate(new NginxConfig("orders backend", Path.of("orders.conf"), Map.of(), Path.of("nginx"),
                Optional.of(Path.of("nginx.conf")), Duration.ZERO)))
                .extracting(ConfigProblem::field).containsExactly("upstream", "include", "servers", "nginx", "config", "timeout");
        Map<String, String> servers = new LinkedHashMap<>();
        servers.put("dc1", "10.0.0.1:8080");
        servers.put("dr1", "10.0.0.1:8080");
        servers.put("dr2", "10.0.2.1");
        servers.put("dr3", "10.0.3.1:70000");
        servers.put("bad\nname", "10.0.4.1:80");
        assertThat(factory.validate(new NginxConfig("up", dir.resolve("missing").resolve("up.conf"), servers, Path.of("/usr/sbin/nginx"),
                Optional.empty(), Duration.ofSeconds(1))))
                .extracting(ConfigProblem::message)
                .containsExactly("the directory of include " + dir.resolve("missing").resolve("up.conf")
                                + " does not exist; create it (drover writes the file there, nginx.conf includes it in the upstream block)",
                        "address 10.0.0.1:8080 is named by dc1 and dr1; each member needs its own server",
                        "address of dr2 must be host:port (port 1-65535, IPv6 in brackets), got '10.0.2.1'",
                        "address of dr3 must be host:port (port 1-65535, IPv6 in brackets), got '10.0.3.1:70000'",
                        "member name 'bad\nname' must not hold control characters or #");
    }
}
