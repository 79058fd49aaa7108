package io.drover.connector.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.config.BindResult;
import io.drover.core.config.ConfigBinder;
import io.drover.core.config.ConfigProblemReport;
import io.drover.core.config.YamlTreeReader;
import io.drover.core.model.Secret;
import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.TrafficSwitch;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DnsTrafficFactoryTest {
    private static final String SECRET = "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0xMjM0NTY=";
    private static final String REFERENCE = "${env:DROVER_TSIG_SECRET}";

    private final DnsTrafficFactory factory = new DnsTrafficFactory();

    private static BindResult<DnsConfig> bind(String yaml) {
        Path file = Path.of("drover.yaml");
        return new ConfigBinder(file, Map.of("DROVER_TSIG_SECRET", SECRET)::get).bind(YamlTreeReader.read(file, yaml).root(),
                DnsConfig.class);
    }

    private static DnsConfig config(String server, String name, DnsConfig.RecordType type, Duration ttl, String keyName, String secret,
            Map<String, String> targets, Duration timeout) {
        return new DnsConfig(server, "example.test.", name, type, ttl,
                new DnsConfig.Tsig(keyName, DnsConfig.TsigAlgorithm.HMAC_SHA256, Secret.of(secret, REFERENCE)), targets, timeout);
    }

    private static DnsConfig orders(String name, DnsConfig.RecordType type, Map<String, String> targets) {
        return config("127.0.0.1:53", name, type, Duration.ofSeconds(60), "drover-key", SECRET, targets, Duration.ofSeconds(5));
    }

    private static Map<String, String> ordered(String... memberAndValue) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < memberAndValue.length; i += 2) {
            map.put(memberAndValue[i], memberAndValue[i + 1]);
        }
        return map;
    }

    @Test
    void theConfigOfTheReadmeBindsFromYaml() {
        BindResult<DnsConfig> result = bind("""
                server: 127.0.0.1:53
                zone: example.test.
                name: orders.example.test.
                record-type: A
                ttl: 60s
                tsig: { name: drover-key, algorithm: hmac-sha256, secret: "${env:DROVER_TSIG_SECRET}" }
                targets: { dc1: 192.0.2.10, dr1: 198.51.100.10 }
                timeout: 5s
                """);
        assertThat(result.problems()).isEmpty();
        DnsConfig config = result.value();
        assertThat(config.recordType()).isEqualTo(DnsConfig.RecordType.A);
        assertThat(config.tsig().algorithm()).isEqualTo(DnsConfig.TsigAlgorithm.HMAC_SHA256);
        assertThat(config.tsig().secret().reveal()).isEqualTo(SECRET);
        assertThat(config.targets()).containsExactly(Map.entry("dc1", "192.0.2.10"), Map.entry("dr1", "198.51.100.10"));
        assertThat(factory.validate(config)).isEmpty();
    }

    @Test
    void recordTypeTtlAlgorithmAndTimeoutHaveDefaults() {
        BindResult<DnsConfig> result = bind("""
                server: ns1.example.test
                zone: example.test
                name: orders
                tsig: { name: drover-key, secret: "${env:DROVER_TSIG_SECRET}" }
                targets: { dc1: 192.0.2.10, dr1: 198.51.100.10 }
                """);
        assertThat(result.problems()).isEmpty();
        DnsConfig config = result.value();
        assertThat(config.recordType()).isEqualTo(DnsConfig.RecordType.A);
        assertThat(config.ttl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.tsig().algorithm()).isEqualTo(DnsConfig.TsigAlgorithm.HMAC_SHA256);
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(factory.validate(config)).isEmpty();
        try (TrafficSwitch sw = factory.create(config, new ConnectorContext("orders-dns", Path.of("/tmp"), Clock.systemUTC()))) {
            assertThat(sw.describe()).as("a relative name is taken relative to the zone; the port defaults to 53")
                    .isEqualTo("DNS A orders.example.test. on ns1.example.test:53");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anUnknownAlgorithmOrRecordTypeIsAConfigErrorNamingTheValidOnes() {
        BindResult<DnsConfig> result = bind("""
                server: 127.0.0.1
                zone: example.test.
                name: orders
                record-type: MX
                tsig: { name: drover-key, algorithm: hmac-md5, secret: "${env:DROVER_TSIG_SECRET}" }
                targets: { dc1: 192.0.2.10 }
                """);
        assertThat(result.problems()).extracting(ConfigProblemReport::message).anySatisfy(message -> assertThat(message)
                        .contains("hmac-sha1, hmac-sha224, hmac-sha256, hmac-sha384, hmac-sha512"))
                .anySatisfy(message -> assertThat(message).contains("a, aaaa, cname"));
    }

    @Test
    void aSecretWrittenIntoTheConfigIsRefused() {
        assertThat(bind("""
                server: 127.0.0.1
                zone: example.test.
                name: orders
                tsig: { name: drover-key, secret: "%s" }
                targets: { dc1: 192.0.2.10 }
                """.formatted(SECRET)).problems()).extracting(ConfigProblemReport::message)
                .singleElement().satisfies(message -> assertThat(message).contains("never written into the config").doesNotContain(SECRET));
    }

    @Test
    void reportsEveryProblemAtOnceAndNeverTheSecret() {
        String notBase64 = "this is not base64 but a password!";
        DnsConfig bad = config("127.0.0.1:99999", "orders.example.org.", DnsConfig.RecordType.A, Duration.ofMillis(1500), "bad..key",
                notBase64, ordered("dc1", "lb.dc1.example.net", "dr1", "198.51.100.10"), Duration.ZERO);
        assertThat(factory.validate(bad)).extracting(ConfigProblem::field)
                .containsExactly("server", "name", "ttl", "tsig.name", "tsig.secret", "targets.dc1", "timeout");
        assertThat(factory.validate(bad)).extracting(ConfigProblem::message).containsExactly(
                "server must be host[:port] with a port from 1 to 65535, got '127.0.0.1:99999'",
                "name orders.example.org. is not in zone example.test.",
                "ttl must be whole seconds from 1s to 2147483647s, got PT1.5S",
                "tsig.name must be the key's name such as drover-key: 'bad..key': invalid empty label",
                "tsig.secret (from ${env:DROVER_TSIG_SECRET}) is not base64; give the key's secret as tsig-keygen writes it"
                        + " (the text between the quotes of secret \"...\";)",
                "target dc1 must be an IPv4 address such as 192.0.2.10, got 'lb.dc1.example.net'",
                "timeout must be positive, got PT0S");
    }

    @Test
    void targetsMustBeThereMatchTheRecordTypeAndDiffer() {
        assertThat(factory.validate(orders("orders", DnsConfig.RecordType.A, Map.of()))).extracting(ConfigProblem::message)
                .containsExactly("targets must name at least one member → IPv4 address, e.g. { dc1: 192.0.2.10, dr1: 198.51.100.10 }");
        assertThat(factory.validate(orders("orders", DnsConfig.RecordType.AAAA, ordered("dc1", "192.0.2.10", "dr1", "2001:db8::10"))))
                .extracting(ConfigProblem::message)
                .containsExactly("target dc1 must be an IPv6 address such as 2001:db8::10, got '192.0.2.10'");
        assertThat(factory.validate(orders("orders", DnsConfig.RecordType.AAAA,
                ordered("dc1", "2001:db8::10", "dr1", "2001:0db8:0:0::10")))).extracting(ConfigProblem::message)
                .containsExactly("targets dc1 and dr1 both point at 2001:db8:0:0:0:0:0:10; each member needs its own AAAA value");
        assertThat(factory.validate(orders("www", DnsConfig.RecordType.CNAME,
                ordered("dc1", "lb.dc1.example.net", "dr1", "lb.dr1.example.net.")))).isEmpty();
    }

    @Test
    void aRelativeNameThatSpellsOutTheZoneIsRefusedWithBothSpellings() {
        assertThat(factory.validate(orders("orders.example.test", DnsConfig.RecordType.A, DnsSwitchContractTest.targets())))
                .extracting(ConfigProblem::message).containsExactly("name 'orders.example.test' has no final dot, so it is relative to the"
                        + " zone and means orders.example.test.example.test.; write 'orders.example.test.' (with the final dot) or 'orders'");
        assertThat(factory.validate(orders("@", DnsConfig.RecordType.CNAME, ordered("dc1", "lb.dc1.example.net."))))
                .extracting(ConfigProblem::message).singleElement()
                .satisfies(message -> assertThat(message).startsWith("a CNAME cannot be at the zone's apex example.test."));
        assertThat(factory.validate(orders("@", DnsConfig.RecordType.A, DnsSwitchContractTest.targets()))).isEmpty();
    }

    @Test
    void describeAndToStringNeverShowTheSecret() throws Exception {
        DnsConfig config = config("[2001:db8::53]:5353", "orders.example.test.", DnsConfig.RecordType.A, Duration.ofSeconds(60),
                "drover-key", SECRET, DnsSwitchContractTest.targets(), Duration.ofSeconds(5));
        try (TrafficSwitch sw = factory.create(config, new ConnectorContext("orders-dns", Path.of("/tmp"), Clock.systemUTC()))) {
            assertThat(sw.describe()).isEqualTo("DNS A orders.example.test. on [2001:db8::53]:5353");
            assertThat(sw.describe() + sw + sw.targets() + config).doesNotContain(SECRET);
        }
    }

    @Test
    void serverAddressesTakeAnOptionalPort() {
        assertThat(ServerAddress.parse("ns1.example.net")).isEqualTo(new ServerAddress("ns1.example.net", 53));
        assertThat(ServerAddress.parse("192.0.2.53:5353")).isEqualTo(new ServerAddress("192.0.2.53", 5353));
        assertThat(ServerAddress.parse("2001:db8::53")).isEqualTo(new ServerAddress("2001:db8::53", 53));
        assertThat(ServerAddress.parse("[2001:db8::53]:54")).isEqualTo(new ServerAddress("2001:db8::53", 54));
        assertThat(ServerAddress.parse("[2001:db8::53]")).isEqualTo(new ServerAddress("2001:db8::53", 53));
        assertThatThrownBy(() -> ServerAddress.parse("ns1:dns")).hasMessageContaining("port from 1 to 65535");
        assertThatThrownBy(() -> ServerAddress.parse("ns1 example")).hasMessageStartingWith("server must be host[:port]");
        assertThatThrownBy(() -> ServerAddress.parse("[2001:db8::53]x")).hasMessageStartingWith("server must be host[:port]");
    }
}
