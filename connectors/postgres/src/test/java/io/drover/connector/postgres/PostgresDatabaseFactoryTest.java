package io.drover.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.config.BindResult;
import io.drover.core.config.ConfigBinder;
import io.drover.core.config.ConfigNode.MapNode;
import io.drover.core.config.YamlTreeReader;
import io.drover.core.model.Secret;
import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.ReplicatedDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PostgresDatabaseFactoryTest {
    private final PostgresDatabaseFactory factory = new PostgresDatabaseFactory();

    private static BindResult<PostgresDatabaseConfig> bind(String yaml) {
        return new ConfigBinder(Path.of("drover.yaml"), Map.of("PW", "s3cret")::get)
                .bind(YamlTreeReader.read(Path.of("drover.yaml"), yaml).root(), PostgresDatabaseConfig.class);
    }

    private static PostgresDatabaseConfig.Member member(String url, String site) {
        return new PostgresDatabaseConfig.Member(url, site, Optional.empty());
    }

    private static PostgresDatabaseConfig config(Object... nameUrlSite) {
        Map<String, PostgresDatabaseConfig.Member> members = new LinkedHashMap<>();
        for (int i = 0; i < nameUrlSite.length; i += 3) {
            members.put((String) nameUrlSite[i], member((String) nameUrlSite[i + 1], (String) nameUrlSite[i + 2]));
        }
        return new PostgresDatabaseConfig(members, "drover_heartbeat", Duration.ofSeconds(5));
    }

    @Test
    void servesTypePostgres() {
        assertThat(factory.type()).isEqualTo("postgres");
        assertThat(factory.configType()).isEqualTo(PostgresDatabaseConfig.class);
    }

    @Test
    void theDocumentedSectionBindsWithDefaults() {
        BindResult<PostgresDatabaseConfig> result = bind("""
                members:
                  dc1: { url: "postgresql://drover@db1:5432/orders", site: primary, password: "${env:PW}" }
                  dr1: { url: "postgresql://drover@db2:5432/orders", site: dr }
                """);
        assertThat(result.problems()).isEmpty();
        PostgresDatabaseConfig config = result.value();
        assertThat(config.members()).containsOnlyKeys("dc1", "dr1");
        assertThat(config.members().get("dc1").password().map(Secret::reveal)).contains("s3cret");
        assertThat(config.members().get("dr1").password()).isEmpty();
        assertThat(config.heartbeatTable()).isEqualTo("drover_heartbeat");
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(factory.validate(config)).isEmpty();

        ReplicatedDatabase database = factory.create(config, new ConnectorContext("orders-pg", Path.of("/nonexistent"),
                Clock.systemUTC()));
        assertThat(database.sites()).containsExactly(Map.entry("dc1", "primary"), Map.entry("dr1", "dr"));
        assertThat(database.describe()).isEqualTo("PostgreSQL database orders (orders-pg): primary dc1 (db1:5432),"
                + " standby dr1 (db2:5432)").doesNotContain("s3cret");
    }

    @Test
    void everyKeyBinds() {
        BindResult<PostgresDatabaseConfig> result = bind("""
                members:
                  dr1: { url: "postgres://drover@db2/orders", site: dr }
                  dc1: { url: "postgresql://drover@db1:5433/orders", site: primary }
                  dr2: { url: "postgresql://drover@[::1]:5434/orders", site: dr }
                heartbeat-table: ops.drover_heartbeat
                timeout: 10s
                """);
        assertThat(result.problems()).isEmpty();
        assertThat(result.value().heartbeatTable()).isEqualTo("ops.drover_heartbeat");
        assertThat(result.value().timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(factory.validate(result.value())).isEmpty();
        assertThat(factory.create(result.value(), new ConnectorContext("db", Path.of("/x"), Clock.systemUTC())).sites())
                .containsExactly(Map.entry("dr1", "dr"), Map.entry("dc1", "primary"), Map.entry("dr2", "dr"));
    }

    @Test
    void aMembersLocalServerSettingsBindInKebabCaseWithDefaults() {
        BindResult<PostgresDatabaseConfig> result = bind("""
                members:
                  dc1:
                    url: "postgresql://drover@db1:5432/orders"
                    site: primary
                    data-dir: /var/lib/postgresql/15/main
                    os-user: pgowner
                    rejoin: base-backup
                    start-command: [pg_ctlcluster, "15", main, start]
                    stop-command: [pg_ctlcluster, "15", main, stop, --, -m, fast]
                  dr1: { url: "postgresql://drover@db2:5432/orders", site: dr, data-dir: /srv/pg/data }
                  dr2: { url: "postgresql://drover@db3:5432/orders", site: dr }
                """);
        assertThat(result.problems()).isEmpty();
        PostgresDatabaseConfig.Member dc1 = result.value().members().get("dc1");
        assertThat(dc1.dataDir()).contains(Path.of("/var/lib/postgresql/15/main"));
        assertThat(dc1.osUser()).isEqualTo("pgowner");
        assertThat(dc1.rejoin()).isEqualTo(PostgresDatabaseConfig.RejoinMethod.BASE_BACKUP);
        assertThat(dc1.startCommand()).contains(List.of("pg_ctlcluster", "15", "main", "start"));
        assertThat(dc1.stopCommand()).contains(List.of("pg_ctlcluster", "15", "main", "stop", "--", "-m", "fast"));
        PostgresDatabaseConfig.Member dr1 = result.value().members().get("dr1");
        assertThat(dr1.dataDir()).contains(Path.of("/srv/pg/data"));
        assertThat(dr1.osUser()).isEqualTo("postgres");
        assertThat(dr1.rejoin()).isEqualTo(PostgresDatabaseConfig.RejoinMethod.AUTO);
        assertThat(dr1.startCommand()).isEmpty();
        assertThat(result.value().members().get("dr2").dataDir()).isEmpty();
        assertThat(factory.validate(result.value())).isEmpty();
    }

    @Test
    void anUnknownRejoinMethodNamesTheValidOnes() {
        BindResult<PostgresDatabaseConfig> result = bind("""
                members:
                  dc1: { url: "postgresql://drover@db1/orders", site: primary, data-dir: /d, rejoin: rsync }
                  dr1: { url: "postgresql://drover@db2/orders", site: dr }
                """);
        assertThat(result.problems()).singleElement().satisfies(p ->
                assertThat(p.message()).contains("auto").contains("rewind").contains("base-backup"));
    }

    @Test
    void localServerSettingsAreChecked() {
        Map<String, PostgresDatabaseConfig.Member> members = new LinkedHashMap<>();
        members.put("dc1", new PostgresDatabaseConfig.Member("postgresql://d@db1/o", "primary", Optional.empty(),
                Optional.of(Path.of("relative/data")), " ", PostgresDatabaseConfig.RejoinMethod.AUTO,
                Optional.of(List.of()), Optional.empty()));
        members.put("dr1", new PostgresDatabaseConfig.Member("postgresql://d@db2/o", "dr", Optional.empty(),
                Optional.empty(), "postgres", PostgresDatabaseConfig.RejoinMethod.AUTO, Optional.empty(),
                Optional.of(List.of("systemctl", "stop", "postgresql"))));
        assertThat(factory.validate(new PostgresDatabaseConfig(members, "drover_heartbeat", Duration.ofSeconds(5))))
                .extracting(ConfigProblem::field, ConfigProblem::message).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("members.dc1.data-dir",
                                "must be an absolute path, e.g. /var/lib/postgresql/15/main"),
                        org.assertj.core.groups.Tuple.tuple("members.dc1.os-user",
                                "must name the user that owns the data directory, e.g. postgres"),
                        org.assertj.core.groups.Tuple.tuple("members.dc1.start-command",
                                "must name a program and its arguments, e.g. [pg_ctlcluster, \"15\", main, start]"),
                        org.assertj.core.groups.Tuple.tuple("members.dr1.stop-command",
                                "is used only to rejoin the member, which needs data-dir too"));
    }

    @Test
    void aMemberNeedsAUrlAndASite() {
        BindResult<PostgresDatabaseConfig> result = bind("""
                members:
                  dc1: { site: primary }
                  dr1: { url: "postgresql://drover@db2/orders" }
                """);
        assertThat(result.problems()).hasSize(2);
    }

    @Test
    void noPrimaryIsAProblem() {
        assertThat(factory.validate(config("dc1", "postgresql://d@db1/o", "dc", "dr1", "postgresql://d@db2/o", "dr")))
                .singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("members");
                    assertThat(p.message()).contains("no member is on site primary; exactly one must be");
                });
    }

    @Test
    void twoPrimariesAreAProblem() {
        assertThat(factory.validate(config("dc1", "postgresql://d@db1/o", "primary", "dr1", "postgresql://d@db2/o",
                "primary"))).singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("members");
                    assertThat(p.message()).isEqualTo("members dc1 and dr1 are both on site primary; exactly one member"
                            + " may be the primary");
                });
    }

    @Test
    void noMembersOrOnlyAPrimaryAreProblems() {
        assertThat(factory.validate(config())).extracting(ConfigProblem::message)
                .containsExactly("names no members; name the primary (site: primary) and its standbys");
        assertThat(factory.validate(config("dc1", "postgresql://d@db1/o", "primary"))).extracting(ConfigProblem::message)
                .containsExactly("names only one member; name its standbys too, whose lag drover measures");
    }

    @Test
    void badUrlsAreNamedByMemberAndAPasswordIsNeverRepeated() {
        List<ConfigProblem> problems = factory.validate(config("dc1", "postgresql://d:Sup3rS3cret@db1/o", "primary",
                "dr1", "mysql://d@db2/o", "dr", "dr2", "postgresql://d@db3", "dr"));
        assertThat(problems).extracting(ConfigProblem::field).containsExactly("members.dc1.url", "members.dr1.url",
                "members.dr2.url");
        assertThat(problems.getFirst().message()).contains("password: \"${env:...}\"");
        assertThat(problems).allSatisfy(p -> assertThat(p.message()).doesNotContain("Sup3rS3cret"));
        assertThat(problems.get(2).message()).contains("names no database");
    }

    @Test
    void aMembersProblemIsLocatedAtItsLine() {
        String yaml = """
                members:
                  dc1: { url: "postgresql://drover@db1:5432/orders", site: primary }
                  dr1: { url: "postgresql://drover:pw@db2:5432/orders", site: dr }
                """;
        ConfigBinder binder = new ConfigBinder(Path.of("drover.yaml"), name -> null);
        MapNode root = (MapNode) YamlTreeReader.read(Path.of("drover.yaml"), yaml).root();
        BindResult<PostgresDatabaseConfig> result = binder.bind(root, PostgresDatabaseConfig.class);
        assertThat(result.problems()).isEmpty();
        assertThat(binder.locate(root, "databases.orders-pg", factory.validate(result.value()))).singleElement()
                .satisfies(report -> {
                    assertThat(report.line()).isEqualTo(3);
                    assertThat(report.path()).isEqualTo("databases.orders-pg.members.dr1.url");
                    assertThat(report.message()).doesNotContain(":pw@");
                });
    }

    @Test
    void everyMemberMustNameTheSameDatabase() {
        assertThat(factory.validate(config("dc1", "postgresql://d@db1/orders", "primary", "dr1", "postgresql://d@db2/other",
                "dr"))).singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("members.dr1.url");
                    assertThat(p.message()).startsWith("names database other but member dc1 names orders");
                });
    }

    @Test
    void reportsEveryOtherProblemAtOnce() {
        Map<String, PostgresDatabaseConfig.Member> members = new LinkedHashMap<>();
        members.put("dc1", member("postgresql://d@db1/o", "primary"));
        members.put("dr1", member("postgresql://d@db2/o", " "));
        assertThat(factory.validate(new PostgresDatabaseConfig(members, "a.b.c", Duration.ZERO)))
                .extracting(ConfigProblem::field).containsExactly("members.dr1.site", "heartbeat-table", "timeout");
    }
}
