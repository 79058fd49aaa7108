package io.drover.connector.haproxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.connector.haproxy.HaproxyServerAction.Config;
import io.drover.core.config.BindResult;
import io.drover.core.config.ConfigBinder;
import io.drover.core.config.YamlTreeReader;
import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.action.ActionCapability;
import io.drover.core.spi.action.ActionFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The {@code with:} of haproxy-server: how it binds from YAML and what validate reports, without a haproxy. */
class HaproxyServerActionFactoryTest {
    private final HaproxyServerAction.Factory factory = new HaproxyServerAction.Factory();

    private static BindResult<Config> bind(String yaml) {
        Path file = Path.of("runbook.yaml");
        return new ConfigBinder(file, Map.<String, String>of()::get).bind(YamlTreeReader.read(file, yaml).root(), Config.class);
    }

    @Test
    void theStepBindsFromYamlInKebabCase() {
        BindResult<Config> result = bind("""
                traffic: orders-lb
                target: dc1
                state: drain
                weight: 0
                wait-sessions: 30s
                """);
        assertThat(result.problems()).isEmpty();
        assertThat(result.value()).isEqualTo(new Config("orders-lb", Optional.of("dc1"), Optional.empty(),
                Optional.of(ServerAdminState.DRAIN), Optional.of(0), Optional.of(Duration.ofSeconds(30))));
        assertThat(factory.validate(result.value())).isEmpty();
        assertThat(factory.create(result.value()).capabilities()).containsExactlyInAnyOrder(ActionCapability.CHECK, ActionCapability.UNDO);
    }

    @Test
    void anUnknownStateIsABindingProblemNamingTheValidOnes() {
        assertThat(bind("{ traffic: orders-lb, server: pg1, state: drained }").problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("drained").contains("ready").contains("drain").contains("maint"));
    }

    @Test
    void reportsEveryProblem() {
        assertThat(factory.validate(new Config(" ", Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(257),
                Optional.of(Duration.ZERO)))).extracting(ConfigProblem::field)
                .containsExactly("traffic", "target", "weight", "wait-sessions", "wait-sessions");
        assertThat(factory.validate(new Config("orders-lb", Optional.of("dc1"), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty()))).extracting(ConfigProblem::message)
                .containsExactly("set at least one of state (ready, drain, maint) and weight (0 to 256)");
        assertThat(factory.validate(new Config("orders-lb", Optional.of("dc1"), Optional.of("pg/1"), Optional.of(ServerAdminState.READY),
                Optional.of(-1), Optional.of(Duration.ofSeconds(5))))).extracting(ConfigProblem::message).containsExactly(
                "name the server with exactly one of target (a target of the switch, e.g. dc1) or server (a server of its backend, e.g. pg1)",
                "server must be a HAProxy server name (letters, digits, _ . : -), got 'pg/1'",
                "weight must be between 0 and 256, got -1",
                "wait-sessions waits for the sessions of a server that takes no new ones; it needs state: drain or maint");
    }

    @Test
    @SuppressWarnings("rawtypes") // the factories are generic in their config type
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(ActionFactory.class).stream().map(p -> p.get().type())).contains("haproxy-server");
    }
}
