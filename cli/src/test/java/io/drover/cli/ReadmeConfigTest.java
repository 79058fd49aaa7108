package io.drover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.config.ConfigLoader;
import io.drover.core.config.DroverConfig;
import io.drover.core.connector.ConnectorRegistry;
import io.drover.core.crypto.AgeKeys;
import io.drover.core.rpo.BiaReview;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's configuration example loads as written (only the referenced secret files are stand-ins). */
class ReadmeConfigTest {
    @TempDir
    Path dir;

    @Test
    void theReadmeExampleIsAValidConfig() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        int start = readme.indexOf("```yaml\n", readme.indexOf("## Configuration")) + "```yaml\n".length();
        String yaml = readme.substring(start, readme.indexOf("```", start));
        Path identity = Files.writeString(dir.resolve("identity.txt"), AgeKeys.generate().identityFile(Instant.now()));
        Path sshKey = Files.writeString(dir.resolve("ssh_key"), "-----BEGIN OPENSSH PRIVATE KEY-----\nstand-in\n");
        Path nginxIncludes = Files.createDirectories(dir.resolve("nginx-drover"));
        yaml = yaml.replace("/etc/drover/identity.txt", identity.toString()).replace("/etc/drover/ssh_key", sshKey.toString())
                .replace("/etc/nginx/drover", nginxIncludes.toString());
        Path config = Files.writeString(dir.resolve("drover.yaml"), yaml);
        Map<String, String> env = Map.of("S3_KEY", "key", "S3_SECRET", "secret", "HOOK_TOKEN", "token",
                "SLACK_WEBHOOK_URL", "https://hooks.slack.example/services/T0/B0/x", "SMTP_PW", "pw", "ORDERS_PW", "pw",
                "SHOP_PW", "pw", "TSIG_SECRET", "c2VjcmV0LWtleS1vZi10aGUtZXhhbXBsZQ==");

        DroverConfig loaded;
        try {
            loaded = new ConfigLoader(ConnectorRegistry.discover(), env::get).load(config);
        } catch (io.drover.core.error.DroverException e) {
            throw new AssertionError(e.getMessage() + ": " + e.details(), e);
        }

        assertThat(loaded.jobs()).containsKey("app-config-nightly");
        assertThat(loaded.services().get("webshop").protectedBy()).containsExactly("app-config-nightly");
        assertThat(loaded.alerts().anyChannel()).isTrue();
        assertThat(loaded.sources().get("orders-db").type()).isEqualTo("postgres");
        assertThat(loaded.databases().get("orders-pg").type()).isEqualTo("postgres");
        assertThat(loaded.traffic().get("orders-lb").type()).isEqualTo("haproxy");
        assertThat(loaded.traffic().get("shop-web").type()).isEqualTo("nginx");
        assertThat(loaded.traffic().get("shop-dns").type()).isEqualTo("dns");
        assertThat(loaded.servicesReplicatedBy("orders-pg")).containsExactly("orders");
        assertThat(loaded.jobs().get("orders-db-hourly").verify().orElseThrow().restore().orElseThrow().checks()).hasSize(3);
        assertThat(loaded.blackouts()).containsKey("business-hours");
        // The example's BIA is consistent: a nightly job for a 24h RPO.
        assertThat(BiaReview.review(loaded, Instant.parse("2026-11-27T00:00:00Z"))).isEmpty();
    }
}
