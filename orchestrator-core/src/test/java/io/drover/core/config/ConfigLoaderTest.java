package io.drover.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.drover.core.connector.ConnectorRegistry;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.model.DataSize;
import io.drover.core.model.Secret;
import io.drover.core.model.VerificationLevel;
import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.Default;
import io.drover.core.spi.Source;
import io.drover.core.spi.SourceFactory;
import io.drover.core.spi.StorageTarget;
import io.drover.core.spi.StorageTargetFactory;
import io.drover.core.spi.FakeFailoverDatabase;
import io.drover.core.spi.FakeTrafficSwitch;
import io.drover.core.testing.TestConnectors;
import java.time.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final String CATALOG_PASSWORD = "catalog-pw-123";
    private static final Function<String, String> ENV = Map.of("CATALOG_PASSWORD", CATALOG_PASSWORD)::get;

    record DirTargetConfig(Path path, @Default("false") boolean fsync) {
    }

    record FilesSourceConfig(List<Path> paths, @Default("[]") List<String> exclude) {
    }

    static final class DirTargetFactory implements StorageTargetFactory<DirTargetConfig> {
        @Override
        public String type() {
            return "dir";
        }

        @Override
        public Class<DirTargetConfig> configType() {
            return DirTargetConfig.class;
        }

        @Override
        public List<ConfigProblem> validate(DirTargetConfig config) {
            return config.path().isAbsolute() ? List.of() : List.of(new ConfigProblem("path", "path must be absolute"));
        }

        @Override
        public StorageTarget create(DirTargetConfig config, ConnectorContext context) {
            return new io.drover.core.testing.InMemoryStorageTarget();
        }
    }

    static final class FilesSourceFactory implements SourceFactory<FilesSourceConfig> {
        @Override
        public String type() {
            return "files";
        }

        @Override
        public Class<FilesSourceConfig> configType() {
            return FilesSourceConfig.class;
        }

        @Override
        public Source create(FilesSourceConfig config, ConnectorContext context) {
            return new Source() {
                @Override
                public java.util.Set<io.drover.core.spi.SourceCapability> capabilities() {
                    return java.util.Set.of();
                }

                @Override
                public String describe() {
                    return "files " + config.paths();
                }

                @Override
                public io.drover.core.spi.SourceSnapshot read(io.drover.core.spi.SourceReadContext context,
                                                              io.drover.core.spi.EntrySink sink) {
                    return new io.drover.core.spi.SourceSnapshot(context.clock().instant(), java.util.Map.of());
                }
            };
        }
    }

    private final ConfigLoader loader = new ConfigLoader(
            new ConnectorRegistry(List.of(new DirTargetFactory()), List.of(new FilesSourceFactory())), ENV);

    private static Path resource(String name, Path dir) throws IOException {
        Path file = dir.resolve("drover.yaml");
        try (InputStream in = ConfigLoaderTest.class.getResourceAsStream("/config/" + name)) {
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void loadsACompleteConfig(@TempDir Path dir) throws IOException {
        DroverConfig config = loader.load(resource("valid.yaml", dir));

        assertThat(config.stateDir()).contains(Path.of("/var/lib/drover"));
        CatalogConfig catalog = config.catalog().orElseThrow();
        assertThat(catalog.clustered()).isTrue();
        assertThat(catalog.password().map(Secret::reveal)).contains(CATALOG_PASSWORD);
        assertThat(config.encryption().recipients()).hasSize(1);
        assertThat(config.targets().get("offsite")).isEqualTo(
                new ConnectorDefinition("offsite", "dir", new DirTargetConfig(Path.of("/mnt/offsite"), true)));
        assertThat(config.targets().get("nearline").settings()).isEqualTo(new DirTargetConfig(Path.of("/var/backups/drover"), false));
        assertThat(config.sources().get("app-config").settings())
                .isEqualTo(new FilesSourceConfig(List.of(Path.of("/etc/app"), Path.of("/srv/app/conf")), List.of("**/*.tmp")));
        JobConfig job = config.jobs().get("app-config-nightly");
        assertThat(job.targets()).containsExactly("nearline", "offsite");
        assertThat(job.partSize()).isEqualTo(DataSize.ofMebibytes(64));
        assertThat(job.fullEvery()).isEqualTo(7);
        assertThat(job.compression()).isEqualTo(new CompressionConfig(3, 0));
        assertThat(job.schedule().orElseThrow().timezone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(job.verify().orElseThrow().afterBackup()).contains(VerificationLevel.QUICK);
        ServiceConfig service = config.services().get("orders");
        assertThat(service.rpo()).contains(Duration.ofHours(1));
        assertThat(service.rto()).contains(Duration.ofMinutes(30));
        assertThat(config.servicesProtectedBy("app-config-nightly")).containsExactly("orders");
    }

    @Test
    void reportsEveryProblemOfAConfigFullOfTyposWithLineAndColumn(@TempDir Path dir) throws IOException {
        Path file = resource("typos.yaml", dir);
        DroverException e = catchThrowableOfType(DroverException.class, () -> loader.load(file));

        assertThat(e.code()).isEqualTo(DroverErrors.CONFIG_INVALID);
        assertThat(e.getCause()).isNull();
        assertThat(e.hint()).isEqualTo("fix them and run 'drover config validate'");
        assertThat(e.details()).allSatisfy(d -> assertThat(d).startsWith(file + ":"));
        List<String> details = e.details().stream().map(d -> d.substring(file.toString().length() + 1)).toList();
        assertThat(details).containsExactly(
                "2:1: encryptoin: unknown key 'encryptoin' at the top level; valid keys: alerts, blackouts, catalog, databases,"
                        + " encryption, jobs, prune, roles, rpo-tracking, runbooks, serve, services, sources, state-dir, targets, traffic"
                        + " (did you mean 'encryption'?)",
                "6:13: encryption.identity: secrets must be given as ${env:NAME} or ${file:/path}, never written into the config",
                "8:50: targets.nearline.fsnyc: unknown key 'fsnyc' in targets.nearline; valid keys: fsync, path"
                        + " (did you mean 'fsync'?)",
                "9:20: targets.offsite.type: unknown target type 's4'; available types: dir",
                "10:3: targets.Bad_Name: name 'Bad_Name' is not allowed: use lowercase letters, digits, '.', '_' and '-',"
                        + " starting with a letter or digit",
                "12:37: sources.app-config.paths: expected a list for 'paths', got a single value '/etc/app';"
                        + " write it as [value] or as '- value' lines",
                "15:13: jobs.nightly.source: unknown source 'app-confg'; defined sources: app-config"
                        + " (did you mean 'app-config'?)",
                "16:25: jobs.nightly.targets[1]: unknown target 'vault'; defined targets: Bad_Name, nearline, offsite",
                "17:5: jobs.nightly.retension: unknown key 'retension' in jobs.nightly; valid keys: compression, full-every,"
                        + " part-size, retention, schedule, source, targets, verify (did you mean 'retention'?)",
                "18:17: jobs.nightly.full-every: expected a whole number for 'full-every', got 'weekly'",
                "19:20: jobs.nightly.compression.level: level must be between 1 and 19, got 25",
                "22:14: jobs.hourly.targets: a job needs at least one target; defined targets: Bad_Name, nearline, offsite",
                "23:5: jobs.hourly.part-size: part-size must be at least 1MiB, got 512.0 KiB",
                "26:10: services.orders.rpo: expected a duration such as 90s, 30m, 1h, 2h30m, 1d or PT1H for 'rpo', got 'soon'",
                "27:29: services.orders.protected-by[1]: unknown job 'daily'; defined jobs: hourly, nightly",
                "28:18: services.orders.depends-on[0]: unknown service 'billing'; defined services: orders");
        assertThat(e.getMessage()).isEqualTo("drover.yaml has 16 problems");
    }

    @Test
    void aServicesTrafficNamesTrafficSwitchesInTheOrderGivenAndAnUnknownOneIsReported(@TempDir Path dir) throws IOException {
        ConfigLoader withSwitches = new ConfigLoader(new ConnectorRegistry(List.of(), List.of(),
                List.of(TestConnectors.database("fakedb", TestConnectors.Named.class,
                        c -> new FakeFailoverDatabase(new FakeFailoverDatabase.Cluster(), Clock.systemUTC()))),
                List.of(TestConnectors.traffic("fakelb", TestConnectors.Named.class,
                        c -> new FakeTrafficSwitch(new FakeTrafficSwitch.Balancer(Map.of("dc1", "a")), c.name())))), ENV);
        Path file = dir.resolve("drover.yaml");
        String config = """
                encryption: { insecure-no-encryption: true }
                databases:
                  orders-pg: { type: fakedb, name: orders }
                traffic:
                  orders-lb: { type: fakelb, name: lb }
                  orders-dns: { type: fakelb, name: dns }
                services:
                  orders: { replicated-by: [orders-pg], traffic: [orders-lb, orders-dns] }
                """;
        Files.writeString(file, config);
        ServiceConfig orders = withSwitches.load(file).services().get("orders");
        assertThat(orders.traffic()).containsExactly("orders-lb", "orders-dns");
        assertThat(orders.replicatedBy()).containsExactly("orders-pg");

        Files.writeString(file, config.replace("[orders-lb, orders-dns]", "[orders-lb, orders-dsn]"));
        DroverException e = catchThrowableOfType(DroverException.class, () -> withSwitches.load(file));
        assertThat(e.details()).singleElement().asString().endsWith("8:62: services.orders.traffic[1]: unknown traffic switch"
                + " 'orders-dsn'; defined traffic switches: orders-dns, orders-lb (did you mean 'orders-dns'?)");
    }

    @Test
    void badRecipientIsLocatedAtTheListEntry(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("drover.yaml");
        Files.writeString(file, """
                encryption:
                  recipients:
                    - age1nw8d67clcyg0edluwr29cda502gkfz0mvysqa6yq7ljcy509tvqqrdt3da
                    - AGE1NW8D67CLCYG0EDLUWR29CDA502GKFZ0MVYSQA6YQ7LJCY509TVQQRDT3DA
                """);
        assertThat(catchThrowableOfType(DroverException.class, () -> loader.load(file)).details()).singleElement()
                .asString().contains("4:7: encryption.recipients[1]: 'AGE1NW8D67");
    }

    @Test
    void connectorValidationProblemIsLocatedAtTheField(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("drover.yaml");
        Files.writeString(file, """
                encryption: { insecure-no-encryption: true }
                targets:
                  local:
                    type: dir
                    path: relative
                """);
        DroverException e = catchThrowableOfType(DroverException.class, () -> loader.load(file));
        assertThat(e.details()).containsExactly(file + ":5:5: targets.local.path: path must be absolute");
    }

    @Test
    void encryptionNeedsRecipientsOrTheExplicitInsecureFlagButNotBoth(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("drover.yaml");
        Files.writeString(file, "encryption: {}\n");
        assertThat(catchThrowableOfType(DroverException.class, () -> loader.load(file)).details()).singleElement()
                .asString().contains("1:13: encryption.recipients: at least one age recipient is required");
        Files.writeString(file, """
                encryption:
                  recipients: [age1nw8d67clcyg0edluwr29cda502gkfz0mvysqa6yq7ljcy509tvqqrdt3da]
                  insecure-no-encryption: true
                """);
        assertThat(catchThrowableOfType(DroverException.class, () -> loader.load(file)).details()).singleElement()
                .asString().contains("3:3: encryption.insecure-no-encryption: insecure-no-encryption: true cannot be combined");
        Files.writeString(file, "encryption: { insecure-no-encryption: true }\n");
        assertThat(loader.load(file).encryption().insecureNoEncryption()).isTrue();
    }

    @Test
    void emptyFileNeedsEncryption(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("drover.yaml");
        Files.writeString(file, "");
        assertThat(catchThrowableOfType(DroverException.class, () -> loader.load(file)).details())
                .containsExactly(file + ":1:1: encryption: missing required key 'encryption'");
    }

    @Test
    void syntaxErrorIsOneProblemNotAStackTrace(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("drover.yaml");
        Files.writeString(file, "encryption:\n  recipients: [a\n");
        DroverException e = catchThrowableOfType(DroverException.class, () -> loader.load(file));
        assertThat(e.code()).isEqualTo(DroverErrors.CONFIG_INVALID);
        assertThat(e.getMessage()).isEqualTo("drover.yaml has 1 problem");
        assertThat(e.details()).singleElement().asString().startsWith(file + ":3:1: YAML syntax error: ");
        assertThat(e.getCause()).isNull();
    }

    @Test
    void unquotedReferenceInsideAFlowMapGetsAHint(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("drover.yaml");
        Files.writeString(file, "catalog: { password: ${env:CATALOG_PASSWORD} }\n");
        assertThat(catchThrowableOfType(DroverException.class, () -> loader.load(file)).details()).singleElement()
                .asString().endsWith("; inside { } or [ ] write references in quotes: \"${env:NAME}\"");
    }

    @Test
    void rootThatIsNotAMapIsAProblem(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("drover.yaml");
        Files.writeString(file, "- a\n- b\n");
        assertThat(catchThrowableOfType(DroverException.class, () -> loader.load(file)).details()).singleElement()
                .asString().contains("1:1: a config file must be a map of keys");
    }

    @Test
    void secretValuesNeverAppearInProblems(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("drover.yaml");
        Files.writeString(file, "catalog:\n  password: ${env:CATALOG_PASSWORD}\n  pasword: x\nencryption: {}\n");
        DroverException e = catchThrowableOfType(DroverException.class, () -> loader.load(file));
        assertThat(e.details()).hasSize(2).allSatisfy(d -> assertThat(d).doesNotContain(CATALOG_PASSWORD));
        assertThat(e.getMessage()).doesNotContain(CATALOG_PASSWORD);
    }

    @Test
    void missingFileIsConfigNotFound(@TempDir Path dir) {
        Path file = dir.resolve("drover.yaml");
        assertThatThrownBy(() -> loader.load(file))
                .isInstanceOfSatisfying(DroverException.class, e -> {
                    assertThat(e.code()).isEqualTo(DroverErrors.CONFIG_NOT_FOUND);
                    assertThat(e.getMessage()).isEqualTo("config file " + file + " not found");
                    assertThat(e.hint()).isEqualTo("create one (see README) or pass --config FILE");
                });
    }

    @Test
    void locatePrefersExplicitThenLocalFileThenEnvironment(@TempDir Path dir) throws IOException {
        Path explicit = Path.of("/etc/drover/other.yaml");
        Function<String, String> env = Map.of("DROVER_CONFIG", "/etc/drover/drover.yaml")::get;
        assertThat(ConfigLoader.locate(Optional.of(explicit), env, dir)).isEqualTo(explicit);
        assertThat(ConfigLoader.locate(Optional.empty(), env, dir)).isEqualTo(Path.of("/etc/drover/drover.yaml"));
        assertThat(ConfigLoader.locate(Optional.empty(), name -> null, dir)).isEqualTo(dir.resolve("drover.yaml"));
        Files.writeString(dir.resolve("drover.yaml"), "");
        assertThat(ConfigLoader.locate(Optional.empty(), env, dir)).isEqualTo(dir.resolve("drover.yaml"));
    }

    @Test
    void targetsTakeALimitsBlockThatTheConnectorNeverSees(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("drover.yaml");
        Files.writeString(file, """
                encryption: { insecure-no-encryption: true }
                targets:
                  offsite: { type: dir, path: /mnt/offsite,
                             limits: { retries: 3, retry-delay: 2s, max-retry-delay: 1m, upload: 50MiB, concurrency: 4 } }
                  nearline: { type: dir, path: /mnt/nearline }
                """);
        DroverConfig config = loader.load(file);

        assertThat(config.targets().get("offsite")).isEqualTo(new ConnectorDefinition("offsite", "dir",
                new DirTargetConfig(Path.of("/mnt/offsite"), false), new TargetLimits(3, Duration.ofSeconds(2),
                Duration.ofMinutes(1), Optional.of(DataSize.ofMebibytes(50)), Optional.empty(), 4)));
        assertThat(config.targets().get("nearline").limits()).isEqualTo(TargetLimits.DEFAULT);
    }

    @Test
    void badLimitsAreReportedWithLineAndColumn(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("drover.yaml");
        Files.writeString(file, """
                encryption: { insecure-no-encryption: true }
                targets:
                  offsite:
                    type: dir
                    path: /mnt/offsite
                    limits:
                      retry-delay: soon
                      upload: 5 parsecs
                      burst: 1MiB
                  nearline:
                    type: dir
                    path: /mnt/nearline
                    limits: { retries: 0, retry-delay: 10s, max-retry-delay: 5s, download: 0, concurrency: -1 }
                  vault: { type: dir, path: /mnt/vault, limits: { concurrency: 1 } }
                sources:
                  app: { type: files, paths: [/etc/app], limits: { retries: 2 } }
                """);
        DroverException e = catchThrowableOfType(DroverException.class, () -> loader.load(file));

        List<String> details = e.details().stream().map(d -> d.substring(file.toString().length() + 1)).toList();
        assertThat(details).containsExactly(
                "7:20: targets.offsite.limits.retry-delay: expected a duration such as 90s, 30m, 1h, 2h30m, 1d or PT1H"
                        + " for 'retry-delay', got 'soon'",
                "8:15: targets.offsite.limits.upload: invalid size for 'upload': unknown unit 'parsecs' in '5 parsecs';"
                        + " use B, KiB, MiB, GiB, TiB, KB, MB, GB or TB",
                "9:7: targets.offsite.limits.burst: unknown key 'burst' in targets.offsite.limits;"
                        + " valid keys: concurrency, download, jobs, max-retry-delay, retries, retry-delay, upload",
                "13:15: targets.nearline.limits.retries: retries must be between 1 (no retry) and 100, got 0",
                "13:45: targets.nearline.limits.max-retry-delay: max-retry-delay must be at least retry-delay (10000ms),"
                        + " got 5000ms",
                "13:66: targets.nearline.limits.download: download must be a positive size per second such as 100MiB;"
                        + " leave it out for no limit",
                "13:79: targets.nearline.limits.concurrency: concurrency must be 0 (unlimited) or at least 2"
                        + " (a backup writes its index and a part at once), got -1",
                "14:51: targets.vault.limits.concurrency: concurrency must be 0 (unlimited) or at least 2"
                        + " (a backup writes its index and a part at once), got 1",
                "16:42: sources.app.limits: unknown key 'limits' in sources.app; valid keys: exclude, paths");
    }

    @Test
    void schedulingServicesAndAlertsAreCheckedWithLineAndColumn(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("drover.yaml");
        Files.writeString(file, """
                encryption: { insecure-no-encryption: true }
                targets: { t: { type: dir, path: /mnt/t } }
                sources: { s: { type: files, paths: [/etc] } }
                jobs:
                  j: { source: s, targets: [t], schedule: { cron: "every night", blackout: lunch } }
                  k: { source: s, targets: [t], verify: { deep: { cron: "0 0 3 ? * SUN", blackout: offce } } }
                services:
                  shop: { tier: 12, rpo: 0s, protected-by: [j] }
                rpo-tracking: { at-risk-fraction: 1.5 }
                alerts:
                  slack: { url: "https://hooks.slack.example/T0/B0/secret" }
                  email: { smtp: { host: mail, tls: maybe }, from: nobody, to: [] }
                blackouts:
                  office: { daily: "08:00-25:00" }
                  both: { daily: "08:00-09:00", cron: "* * 8 * * ?" }
                serve: { listen: "localhost", threads: 0 }
                """);
        DroverException e = catchThrowableOfType(DroverException.class, () -> loader.load(file));
        List<String> details = e.details().stream().map(d -> d.substring(file.toString().length() + 1)).toList();
        assertThat(details).anySatisfy(d -> assertThat(d).startsWith("5:45: jobs.j.schedule.cron: 'every night' is not a Quartz cron"))
                .anySatisfy(d -> assertThat(d).contains("jobs.j.schedule.blackout: unknown blackout 'lunch'"))
                .anySatisfy(d -> assertThat(d).contains("jobs.k.verify.deep.blackout: unknown blackout 'offce'")
                        .contains("did you mean 'office'?"))
                .anySatisfy(d -> assertThat(d).contains("services.shop.tier: tier must be between 0"))
                .anySatisfy(d -> assertThat(d).contains("services.shop.rpo: rpo must be a positive duration"))
                .anySatisfy(d -> assertThat(d).contains("rpo-tracking.at-risk-fraction"))
                .anySatisfy(d -> assertThat(d).contains("alerts.slack.url: secrets must be given as ${env:NAME}")
                        .doesNotContain("secret\""))
                .anySatisfy(d -> assertThat(d).contains("alerts.email.smtp.tls: tls must be starttls, ssl or none"))
                .anySatisfy(d -> assertThat(d).contains("blackouts.office.daily: daily must be a window HH:mm-HH:mm"))
                .anySatisfy(d -> assertThat(d).contains("blackouts.both: a blackout needs exactly one of"))
                .anySatisfy(d -> assertThat(d).contains("serve.listen: listen must be HOST:PORT"))
                .anySatisfy(d -> assertThat(d).contains("serve.threads: threads must be between 1 and 64"));
        assertThat(String.join("\n", details)).doesNotContain("hooks.slack.example");
    }

    @Test
    void emailAlertsNeedAddresses(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("drover.yaml");
        Files.writeString(file, """
                encryption: { insecure-no-encryption: true }
                alerts:
                  email: { smtp: { host: mail, user: drover, password: "${env:CATALOG_PASSWORD}" }, from: nobody, to: [] }
                """);
        DroverException e = catchThrowableOfType(DroverException.class, () -> loader.load(file));
        assertThat(e.details()).anySatisfy(d -> assertThat(d).contains("alerts.email.from: from must be an e-mail address"))
                .anySatisfy(d -> assertThat(d).contains("alerts.email.to: to must list at least one"))
                .allSatisfy(d -> assertThat(d).doesNotContain(CATALOG_PASSWORD));
    }

    @Test
    void readsRunbookEntriesAndRoles() {
        Path file = Path.of("/etc/drover/drover.yaml");
        DroverConfig config = loader.load(file, """
                encryption: { insecure-no-encryption: true }
                runbooks: [runbooks, /srv/dr/failover.yaml]
                roles:
                  dba: [alice, bob]
                  oncall: []
                """);
        assertThat(config.runbooks()).containsExactly(Path.of("runbooks"), Path.of("/srv/dr/failover.yaml"));
        assertThat(config.roles()).containsExactly(java.util.Map.entry("dba", List.of("alice", "bob")),
                java.util.Map.entry("oncall", List.of()));

        DroverException e = catchThrowableOfType(DroverException.class, () -> loader.load(file, """
                encryption: { insecure-no-encryption: true }
                runbooks: runbooks
                roles:
                  dba: alice
                  Bad: [x]
                """));
        assertThat(e.details()).containsExactly(
                "/etc/drover/drover.yaml:2:11: runbooks: expected a list for 'runbooks', got a single value 'runbooks';"
                        + " write it as [value] or as '- value' lines",
                "/etc/drover/drover.yaml:4:8: roles.dba: expected a list for 'dba', got a single value 'alice'; write it as"
                        + " [value] or as '- value' lines",
                "/etc/drover/drover.yaml:5:3: roles.Bad: name 'Bad' is not allowed: use lowercase letters, digits, '.', '_'"
                        + " and '-', starting with a letter or digit");
    }
}
