package io.drover.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.config.BindResult;
import io.drover.core.config.ConfigBinder;
import io.drover.core.config.YamlTreeReader;
import io.drover.core.model.Secret;
import io.drover.core.spi.ConfigProblem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PostgresSourceFactoryTest {
    private final PostgresSourceFactory factory = new PostgresSourceFactory();

    private static PostgresSourceConfig config(String url) {
        return new PostgresSourceConfig(url, Optional.empty(), PostgresSourceConfig.Mode.LOGICAL,
                PostgresSourceConfig.Format.CUSTOM, 2, true, false, "drover_canary", Optional.empty(), Duration.ofHours(12));
    }

    @Test
    void servesTypePostgres() {
        assertThat(factory.type()).isEqualTo("postgres");
        assertThat(factory.configType()).isEqualTo(PostgresSourceConfig.class);
    }

    @Test
    void aMinimalSectionBindsWithTheDocumentedDefaults() {
        BindResult<PostgresSourceConfig> result = new ConfigBinder(Path.of("drover.yaml"), Map.of("PGPASS", "pw")::get)
                .bind(YamlTreeReader.read(Path.of("drover.yaml"), """
                        url: postgresql://backup@db.example.com/app
                        password: ${env:PGPASS}
                        """).root(), PostgresSourceConfig.class);
        assertThat(result.problems()).isEmpty();
        PostgresSourceConfig config = result.value();
        assertThat(config.password().map(Secret::reveal)).contains("pw");
        assertThat(config.mode()).isEqualTo(PostgresSourceConfig.Mode.LOGICAL);
        assertThat(config.format()).isEqualTo(PostgresSourceConfig.Format.CUSTOM);
        assertThat(config.jobs()).isEqualTo(2);
        assertThat(config.globals()).isTrue();
        assertThat(config.canary()).isFalse();
        assertThat(config.canaryTable()).isEqualTo("drover_canary");
        assertThat(config.clientBin()).isEmpty();
        assertThat(config.timeout()).isEqualTo(Duration.ofHours(12));
        assertThat(factory.validate(config)).isEmpty();
    }

    @Test
    void everyKeyBinds() {
        BindResult<PostgresSourceConfig> result = new ConfigBinder(Path.of("drover.yaml"), name -> null)
                .bind(YamlTreeReader.read(Path.of("drover.yaml"), """
                        url: postgres://backup@10.0.0.5:5433/app
                        mode: logical
                        format: directory
                        jobs: 4
                        globals: false
                        canary: true
                        canary-table: ops.drover_canary
                        client-bin: /usr/lib/postgresql/16/bin
                        timeout: 2h
                        """).root(), PostgresSourceConfig.class);
        assertThat(result.problems()).isEmpty();
        assertThat(result.value().format()).isEqualTo(PostgresSourceConfig.Format.DIRECTORY);
        assertThat(result.value().canaryTable()).isEqualTo("ops.drover_canary");
        assertThat(factory.validate(result.value())).isEmpty();
    }

    @Test
    void aPasswordInTheUrlIsRefusedWithoutRepeatingIt() {
        List<ConfigProblem> problems = factory.validate(config("postgresql://backup:Sup3rS3cret@db/app"));
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("url");
            assertThat(p.message()).contains("password: \"${env:...}\"").doesNotContain("Sup3rS3cret");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql://backup@db/app", "db.example.com/app", "postgresql://backup@db", "postgresql://backup@db/",
            "postgresql://db.example.com/app", "postgresql://backup@db:99999/app", "postgresql://backup@/app",
            "postgresql://backup@db/app?sslmode=require", "postgresql://backup@db/app/extra"})
    void badUrlsAreRefused(String url) {
        assertThat(factory.validate(config(url))).extracting(ConfigProblem::field).containsExactly("url");
    }

    @Test
    void aMissingDatabaseIsNamedAsTheProblem() {
        assertThat(factory.validate(config("postgresql://backup@db:5432"))).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("names no database"));
    }

    @Test
    void reportsEveryOtherProblemAtOnce() {
        PostgresSourceConfig config = new PostgresSourceConfig("postgresql://backup@db/app", Optional.empty(),
                PostgresSourceConfig.Mode.LOGICAL, PostgresSourceConfig.Format.CUSTOM, 0, true, true, "a.b.c",
                Optional.of(Path.of("bin")), Duration.ZERO);
        assertThat(factory.validate(config)).extracting(ConfigProblem::field)
                .containsExactly("jobs", "jobs", "canary-table", "client-bin", "timeout");
    }

    @Test
    void urlsParseWithTheDefaultPortAndBothSchemes() {
        assertThat(PostgresUrl.parse("postgresql://backup@db.example.com/app"))
                .isEqualTo(new PostgresUrl("backup", "db.example.com", 5432, "app"));
        assertThat(PostgresUrl.parse("postgres://back%40up@[::1]:6543/my%20db"))
                .isEqualTo(new PostgresUrl("back@up", "::1", 6543, "my db"));
        assertThat(PostgresUrl.parse("postgres://back%40up@[::1]:6543/my%20db").hostPort()).isEqualTo("[::1]:6543");
    }

    @Test
    void theConnectionStringForTheToolsQuotesValuesAndHoldsNoPassword() {
        assertThat(new PostgresUrl("o'neil", "db", 5432, "my db").conninfo())
                .isEqualTo("host='db' port=5432 user='o\\'neil' dbname='my db' connect_timeout=30");
    }

    @Test
    void tableNamesAreQuotedLiterally() {
        assertThat(Identifiers.qualified("pgbench_accounts")).isEqualTo("\"pgbench_accounts\"");
        assertThat(Identifiers.qualified("ops.Canary")).isEqualTo("\"ops\".\"Canary\"");
        assertThat(Identifiers.qualified("\"My Schema\".\"a.b\"\"c\"")).isEqualTo("\"My Schema\".\"a.b\"\"c\"");
        for (String bad : List.of("", "a..b", "a.b.c", "a b", "x; drop table y", "\"open")) {
            assertThatThrownBy(() -> Identifiers.parts(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void clientVersionsAreReadAndCompared() {
        assertThat(ClientTools.parseVersion("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)")).contains(1500);
        assertThat(ClientTools.parseVersion("pg_dump (PostgreSQL) 9.6.24")).contains(906);
        assertThat(ClientTools.parseVersion("pg_dump (PostgreSQL) 17devel")).contains(1700);
        assertThat(ClientTools.parseVersion("something else")).isEmpty();
        assertThat(ClientTools.versionKey(150020)).isEqualTo(1500);
        assertThat(ClientTools.versionKey(90624)).isEqualTo(906);
        assertThat(ClientTools.majorName(906)).isEqualTo("9.6");
        assertThat(ClientTools.majorName(1600)).isEqualTo("16");
    }

    @Test
    void walModeBindsASlotAndRefusesKeysOfTheLogicalMode() {
        BindResult<PostgresSourceConfig> result = new ConfigBinder(Path.of("drover.yaml"), name -> null)
                .bind(YamlTreeReader.read(Path.of("drover.yaml"), """
                        url: postgresql://replicator@db/app
                        mode: wal
                        slot: drover_orders
                        """).root(), PostgresSourceConfig.class);
        assertThat(result.problems()).isEmpty();
        assertThat(result.value().mode()).isEqualTo(PostgresSourceConfig.Mode.WAL);
        assertThat(result.value().slot()).contains("drover_orders");
        assertThat(factory.validate(result.value())).isEmpty();

        PostgresSourceConfig bad = new PostgresSourceConfig("postgresql://replicator@db/app", Optional.empty(),
                PostgresSourceConfig.Mode.PHYSICAL, PostgresSourceConfig.Format.DIRECTORY, 2, true, true, "drover_canary",
                Optional.empty(), Duration.ofHours(12), Optional.of("Bad-Slot"));
        assertThat(factory.validate(bad)).extracting(p -> p.field()).containsExactlyInAnyOrder("format", "slot");
        PostgresSourceConfig walCanary = new PostgresSourceConfig("postgresql://replicator@db/app", Optional.empty(),
                PostgresSourceConfig.Mode.WAL, PostgresSourceConfig.Format.CUSTOM, 2, true, true, "drover_canary",
                Optional.empty(), Duration.ofHours(12), Optional.empty());
        assertThat(factory.validate(walCanary)).extracting(p -> p.field() + ": " + p.message())
                .containsExactly("canary: applies only to mode: logical and physical, not to mode: wal");
        PostgresSourceConfig badName = new PostgresSourceConfig("postgresql://replicator@db/app", Optional.empty(),
                PostgresSourceConfig.Mode.WAL, PostgresSourceConfig.Format.CUSTOM, 2, true, false, "drover_canary",
                Optional.empty(), Duration.ofHours(12), Optional.of("Bad-Slot"));
        assertThat(factory.validate(badName)).extracting(p -> p.message()).singleElement().asString()
                .contains("not a replication slot name");
    }
}
