package io.drover.connector.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.config.BindResult;
import io.drover.core.config.ConfigBinder;
import io.drover.core.config.YamlTreeReader;
import io.drover.core.model.Secret;
import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.DatabaseFactory;
import io.drover.core.spi.ReplicatedDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The {@code databases:} config of MariaDB/MySQL, its checks, and the parts of sampling that need no server. */
class MariaDbDatabaseFactoryTest {
    private final MariaDbDatabaseFactory factory = new MariaDbDatabaseFactory();

    private static MariaDbDatabaseConfig bind(String yaml) {
        Path file = Path.of("drover.yaml");
        BindResult<MariaDbDatabaseConfig> result = new ConfigBinder(file, Map.of("PW", "s3cret")::get)
                .bind(YamlTreeReader.read(file, yaml).root(), MariaDbDatabaseConfig.class);
        assertThat(result.problems()).isEmpty();
        return result.value();
    }

    private static MariaDbDatabaseConfig config(String... nameUrlSite) {
        Map<String, MariaDbDatabaseConfig.Member> members = new LinkedHashMap<>();
        for (int i = 0; i < nameUrlSite.length; i += 3) {
            members.put(nameUrlSite[i], new MariaDbDatabaseConfig.Member(nameUrlSite[i + 1], nameUrlSite[i + 2],
                    Optional.empty()));
        }
        return new MariaDbDatabaseConfig(members, "drover_heartbeat", Duration.ofSeconds(5));
    }

    private List<ConfigProblem> problems(String... nameUrlSite) {
        return factory.validate(config(nameUrlSite));
    }

    @Test
    void theConfigBindsFromYamlWithItsDefaults() {
        MariaDbDatabaseConfig config = bind("""
                members:
                  dc1: { url: "mariadb://drover@db1:3306/shop", site: primary, password: "${env:PW}" }
                  dr1: { url: "mariadb://drover@db2:3306/shop", site: dr }
                """);
        assertThat(config.members()).containsOnlyKeys("dc1", "dr1");
        assertThat(config.members().get("dc1").password().orElseThrow().reveal()).isEqualTo("s3cret");
        assertThat(config.members().get("dr1").password()).isEmpty();
        assertThat(config.members().get("dr1").site()).isEqualTo("dr");
        assertThat(config.heartbeatTable()).isEqualTo("drover_heartbeat");
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(factory.validate(config)).isEmpty();

        MariaDbDatabaseConfig full = bind("""
                members:
                  dc1: { url: "mysql://drover@db1/shop", site: primary }
                  dr1: { url: "mysql://drover@db2/shop", site: dr }
                  dr2: { url: "mysql://drover@db3/shop", site: dr }
                heartbeat-table: hb
                timeout: 2s
                """);
        assertThat(full.heartbeatTable()).isEqualTo("hb");
        assertThat(full.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(new MySqlDatabaseFactory().validate(full)).isEmpty();
    }

    @Test
    @SuppressWarnings("rawtypes") // the factories are generic in their config type
    void typesAreMariadbAndMysqlOverOneConfigAndFoundByServiceLoader() {
        assertThat(factory.type()).isEqualTo("mariadb");
        assertThat(new MySqlDatabaseFactory().type()).isEqualTo("mysql");
        assertThat(new MySqlDatabaseFactory().configType()).isEqualTo(factory.configType());
        assertThat(ServiceLoader.load(DatabaseFactory.class).stream().map(p -> p.get().type())).contains("mariadb", "mysql");
    }

    @Test
    void exactlyOnePrimaryIsRequired() {
        assertThat(problems("dc1", "mariadb://d@db1/shop", "dr", "dr1", "mariadb://d@db2/shop", "dr"))
                .singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("members");
                    assertThat(p.message()).contains("no member is on site primary");
                });
        assertThat(problems("dc1", "mariadb://d@db1/shop", "primary", "dc2", "mariadb://d@db2/shop", "primary"))
                .singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("members");
                    assertThat(p.message()).contains("dc1 and dc2 are both on site primary");
                });
        assertThat(problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("names no members"));
        assertThat(problems("dc1", "mariadb://d@db1/shop", "primary")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("only the primary dc1"));
        assertThat(problems("dc1", "mariadb://d@db1/shop", "primary", "dr1", "mariadb://d@db2/shop", " "))
                .singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("members.dr1.site"));
    }

    @Test
    void badUrlsAndPasswordsInUrlsAreNamedByMember() {
        List<ConfigProblem> problems = problems("dc1", "mariadb://d:s3cret@db1/shop", "primary",
                "dr1", "db2:3306/shop", "dr");
        assertThat(problems).extracting(ConfigProblem::field).containsExactly("members.dc1.url", "members.dr1.url");
        assertThat(problems.get(0).message()).contains("contains a password", "password: \"${env:")
                .doesNotContain("s3cret");
        assertThat(problems.get(1).message()).contains("mariadb://user@host[:port]/database");
    }

    @Test
    void membersAreDistinctServersWithTheSameDatabase() {
        assertThat(problems("dc1", "mariadb://d@db1/shop", "primary", "dr1", "mariadb://d@db1:3306/shop", "dr"))
                .singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("members.dr1.url");
                    assertThat(p.message()).contains("db1:3306 like member dc1");
                });
        assertThat(problems("dc1", "mariadb://d@db1/shop", "primary", "dr1", "mariadb://d@db2/shop2", "dr"))
                .singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("members.dr1.url");
                    assertThat(p.message()).contains("names database shop2 but member dc1 names shop");
                });
    }

    @Test
    void theReplicationAccountBindsWithItsPasswordAsASecretAndIsOptional() {
        MariaDbDatabaseConfig config = bind("""
                members:
                  dc1: { url: "mariadb://drover@db1:3306/shop", site: primary }
                  dr1: { url: "mariadb://drover@db2:3306/shop", site: dr }
                replication-user: repl
                replication-password: "${env:PW}"
                """);
        assertThat(config.replicationUser()).contains("repl");
        assertThat(config.replicationPassword().orElseThrow().reveal()).isEqualTo("s3cret");
        assertThat(config.replicationPassword().orElseThrow().toString()).doesNotContain("s3cret");
        assertThat(config.toString()).doesNotContain("s3cret");
        assertThat(factory.validate(config)).isEmpty();

        MariaDbDatabaseConfig without = config("dc1", "mariadb://d@db1/shop", "primary", "dr1", "mariadb://d@db2/shop", "dr");
        assertThat(without.replicationUser()).isEmpty();
        assertThat(without.replicationPassword()).isEmpty();
    }

    @Test
    void aReplicationPasswordNeedsAReplicationUserAndTheUserANonEmptyName() {
        Map<String, MariaDbDatabaseConfig.Member> members = config("dc1", "mariadb://d@db1/shop", "primary",
                "dr1", "mariadb://d@db2/shop", "dr").members();
        assertThat(factory.validate(new MariaDbDatabaseConfig(members, "hb", Duration.ofSeconds(5), Optional.empty(),
                Optional.of(Secret.of("s3cret", "${env:PW}"))))).singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("replication-password");
                    assertThat(p.message()).contains("replication-user").doesNotContain("s3cret");
                });
        assertThat(factory.validate(new MariaDbDatabaseConfig(members, "hb", Duration.ofSeconds(5), Optional.of(" "),
                Optional.empty()))).singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("replication-user"));
    }

    @Test
    void anUnknownKeyNamesTheReplicationKeysAmongTheValidOnes() {
        Path file = Path.of("drover.yaml");
        BindResult<MariaDbDatabaseConfig> result = new ConfigBinder(file, Map.<String, String>of()::get)
                .bind(YamlTreeReader.read(file, """
                        members:
                          dc1: { url: "mariadb://drover@db1:3306/shop", site: primary }
                        replication-usr: repl
                        """).root(), MariaDbDatabaseConfig.class);
        assertThat(result.problems()).singleElement().satisfies(p -> assertThat(p.toString())
                .contains("replication-usr", "replication-user"));
    }

    @Test
    void heartbeatTableAndTimeoutAreChecked() {
        Map<String, MariaDbDatabaseConfig.Member> members = config("dc1", "mariadb://d@db1/shop", "primary",
                "dr1", "mariadb://d@db2/shop", "dr").members();
        assertThat(factory.validate(new MariaDbDatabaseConfig(members, "hb; drop", Duration.ZERO)))
                .extracting(ConfigProblem::field).containsExactlyInAnyOrder("heartbeat-table", "timeout");
        assertThat(factory.validate(new MariaDbDatabaseConfig(members, "hb", Duration.ofMinutes(5))))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("5m", "at most 1m"));
    }

    @Test
    void theDatabaseDescribesItselfWithoutCredentials() throws Exception {
        Map<String, MariaDbDatabaseConfig.Member> members = new LinkedHashMap<>();
        members.put("dc1", new MariaDbDatabaseConfig.Member("mariadb://d@db1/shop", "primary",
                Optional.of(Secret.of("s3cret", "${env:PW}"))));
        members.put("dr1", new MariaDbDatabaseConfig.Member("mariadb://d@db2:3307/shop", "dr", Optional.empty()));
        try (ReplicatedDatabase database = factory.create(new MariaDbDatabaseConfig(members, "drover_heartbeat",
                Duration.ofSeconds(5)), new ConnectorContext("shop-db", Path.of("/state"), Clock.systemUTC()))) {
            assertThat(database.describe()).isEqualTo(
                    "MariaDB database shop (dc1 on db1:3306, site primary; dr1 on db2:3307, site dr)");
            assertThat(database.sites()).containsExactly(Map.entry("dc1", "primary"), Map.entry("dr1", "dr"));
        }
    }

    @Test
    void bytesBehindInOneFileAreTheDifferenceAndAcrossFilesSumTheSizesInBetween() {
        MariaDbReplicatedDatabase.BinaryLogs logs = MariaDbReplicatedDatabase.BinaryLogs.of(List.of(
                Map.entry("binlog.000001", 1000L), Map.entry("binlog.000002", 5000L), Map.entry("binlog.000003", 700L)));
        assertThat(logs.behind("binlog.000003", 700, "binlog.000003", 300).bytes()).contains(400L);
        assertThat(logs.behind("binlog.000003", 700, "binlog.000003", 800).bytes()).contains(0L);
        // rest of 000001 (1000 - 400) + all of 000002 + 700 into 000003
        assertThat(logs.behind("binlog.000003", 700, "binlog.000001", 400).bytes()).contains(600L + 5000L + 700L);
        assertThat(logs.behind("binlog.000003", 700, "binlog.000002", 5000).bytes()).contains(700L);
        MariaDbReplicatedDatabase.Behind purged = logs.behind("binlog.000003", 700, "binlog.000000", 4);
        assertThat(purged.bytes()).isEmpty();
        assertThat(purged.problem()).contains("binlog.000000", "no longer among the primary's binary logs");
    }

    @Test
    void theReplicationThreadsInWords() {
        assertThat(MariaDbReplicatedDatabase.threads(Map.of("Slave_IO_Running", "Yes", "Slave_SQL_Running", "Yes",
                "Seconds_Behind_Master", "0"))).isEqualTo("replicating, Seconds_Behind_Master 0");
        assertThat(MariaDbReplicatedDatabase.threads(Map.of("Slave_IO_Running", "Yes", "Slave_SQL_Running", "No",
                "Last_SQL_Error", ""))).isEqualTo("SQL thread stopped (IO thread still receiving)");
        assertThat(MariaDbReplicatedDatabase.threads(Map.of("Slave_IO_Running", "No", "Slave_SQL_Running", "Yes",
                "Last_IO_Error", "Got fatal error 1236"))).isEqualTo("IO thread stopped: Got fatal error 1236");
        assertThat(MariaDbReplicatedDatabase.threads(Map.of("Slave_IO_Running", "Connecting", "Slave_SQL_Running", "No",
                "Last_IO_Error", "error connecting", "Last_SQL_Error", "Duplicate entry")))
                .isEqualTo("IO thread connecting to the primary: error connecting; SQL thread stopped: Duplicate entry");
        // MySQL 8's SHOW REPLICA STATUS
        assertThat(MariaDbReplicatedDatabase.threads(Map.of("Replica_IO_Running", "Yes", "Replica_SQL_Running", "Yes",
                "Seconds_Behind_Source", "3"))).isEqualTo("replicating, Seconds_Behind_Master 3");
    }

    @Test
    void serverTimesAreReadAsUtcWithMicroseconds() {
        assertThat(MariaDbReplicatedDatabase.parseTime("2025-03-30 01:30:00.123456"))
                .isEqualTo(Instant.parse("2025-03-30T01:30:00.123456Z"));
    }
}
