package io.drover.connector.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.model.Secret;
import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.ConnectorContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MariaDbSourceFactoryTest {
    private final MariaDbSourceFactory factory = new MariaDbSourceFactory();

    private static MariaDbSourceConfig config(String url) {
        return new MariaDbSourceConfig(url, Optional.of(Secret.of("pw", "${env:PW}")), false, "drover_canary",
                Optional.empty(), Duration.ofHours(12));
    }

    private List<ConfigProblem> problems(String url) {
        return factory.validate(config(url));
    }

    private static MariaDbSourceConfig bind(String yaml) {
        Path file = Path.of("drover.yaml");
        io.drover.core.config.BindResult<MariaDbSourceConfig> result = new io.drover.core.config.ConfigBinder(file,
                java.util.Map.of("PW", "s3cret")::get).bind(io.drover.core.config.YamlTreeReader.read(file, yaml).root(),
                MariaDbSourceConfig.class);
        assertThat(result.problems()).isEmpty();
        return result.value();
    }

    @Test
    void theConfigBindsFromYamlWithItsDefaults() {
        MariaDbSourceConfig minimal = bind("url: mariadb://backup@db1/shop\n");
        assertThat(minimal.password()).isEmpty();
        assertThat(minimal.canary()).isFalse();
        assertThat(minimal.canaryTable()).isEqualTo("drover_canary");
        assertThat(minimal.clientBin()).isEmpty();
        assertThat(minimal.timeout()).isEqualTo(Duration.ofHours(12));

        MariaDbSourceConfig full = bind("""
                url: mysql://backup@db1:3307/shop
                password: ${env:PW}
                canary: true
                canary-table: my_canary
                client-bin: /opt/mysql/bin
                timeout: 2h
                """);
        assertThat(full.password().orElseThrow().reveal()).isEqualTo("s3cret");
        assertThat(full.canary()).isTrue();
        assertThat(full.canaryTable()).isEqualTo("my_canary");
        assertThat(full.clientBin()).contains(Path.of("/opt/mysql/bin"));
        assertThat(full.timeout()).isEqualTo(Duration.ofHours(2));
        assertThat(factory.validate(full)).isEmpty();
    }

    @Test
    void typesAreMariadbAndMysqlOverOneConfig() {
        assertThat(factory.type()).isEqualTo("mariadb");
        assertThat(new MySqlSourceFactory().type()).isEqualTo("mysql");
        assertThat(new MySqlSourceFactory().configType()).isEqualTo(factory.configType());
    }

    @Test
    void goodUrlsPass() {
        assertThat(problems("mariadb://backup@db1.example.com:3307/shop")).isEmpty();
        assertThat(problems("mariadb://backup@127.0.0.1/shop")).isEmpty();
        assertThat(problems("mysql://backup@[::1]:3306/shop")).isEmpty();
        DbUrl url = DbUrl.require("mariadb://backup@db1/shop");
        assertThat(url).isEqualTo(new DbUrl("mariadb", "backup", "db1", 3306, "shop"));
        assertThat(DbUrl.require("mysql://u@[::1]:3310/x").hostPort()).isEqualTo("[::1]:3310");
    }

    @Test
    void aPasswordInTheUrlIsRefusedWithoutRepeatingIt() {
        List<ConfigProblem> problems = problems("mariadb://backup:s3cret@db1:3306/shop");
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("url");
            assertThat(p.message()).contains("password: \"${env:").doesNotContain("s3cret");
        });
    }

    @Test
    void aMissingDatabaseIsNamed() {
        assertThat(problems("mariadb://backup@db1:3306")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("names no database"));
        assertThat(problems("mariadb://backup@db1:3306/")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("names no database"));
    }

    @Test
    void badUrlsSayWhatIsExpected() {
        for (String url : List.of("db1:3306/shop", "postgres://u@db1/shop", "mariadb://db1/shop", "mariadb://u@db1:99999/shop",
                "mariadb://u@db1:port/shop")) {
            assertThat(problems(url)).as(url).isNotEmpty()
                    .allSatisfy(p -> assertThat(p.message()).contains("mariadb://"));
        }
    }

    @Test
    void canaryTableClientBinAndTimeoutAreChecked() {
        MariaDbSourceConfig bad = new MariaDbSourceConfig("mariadb://u@db1/shop", Optional.empty(), true,
                "drover canary; drop", Optional.of(Path.of("bin")), Duration.ZERO);
        assertThat(factory.validate(bad)).extracting(ConfigProblem::field)
                .containsExactlyInAnyOrder("canary-table", "client-bin", "timeout");
    }

    @Test
    void theSourceDescribesItselfWithoutCredentials() {
        try (var source = factory.create(config("mariadb://backup@db1:3306/shop"),
                new ConnectorContext("db", Path.of("/state"), Clock.systemUTC()))) {
            assertThat(source.describe()).isEqualTo("MariaDB database shop on db1:3306").doesNotContain("pw");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        try (var source = new MySqlSourceFactory().create(config("mysql://backup@db1/shop"),
                new ConnectorContext("db", Path.of("/state"), Clock.systemUTC()))) {
            assertThat(source.describe()).isEqualTo("MySQL database shop on db1:3306");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
