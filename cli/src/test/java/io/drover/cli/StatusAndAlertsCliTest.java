package io.drover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.alert.WebhookReceiver;
import io.drover.core.repository.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status}, {@code alert test} and the BIA review of {@code config validate}, through the whole CLI. */
class StatusAndAlertsCliTest {
    @TempDir
    Path dir;

    private WebhookReceiver receiver;

    private CliRun drover(String... args) {
        return CliRun.of(dir.resolve("drover.yaml"), args);
    }

    @BeforeEach
    void config() throws Exception {
        receiver = new WebhookReceiver();
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/file.txt"), "hello");
        Files.writeString(dir.resolve("drover.yaml"), """
                state-dir: %1$s/state
                encryption: { insecure-no-encryption: true }
                targets:
                  local: { type: local, path: %1$s/repo, fsync: false }
                sources:
                  data: { type: files, paths: [%1$s/data] }
                  gone: { type: files, paths: [%1$s/does-not-exist] }
                jobs:
                  data:
                    source: data
                    targets: [local]
                    schedule: { cron: "0 0 * * * ?" }
                    verify: { after-backup: quick }
                  nightly-gone:
                    source: gone
                    targets: [local]
                    schedule: { cron: "0 0 2 * * ?", timezone: Europe/Berlin }
                services:
                  shop: { tier: 1, owner: web-team, rpo: 2h, verification: quick, protected-by: [data] }
                  archive: { tier: 3, rpo: 1h, protected-by: [nightly-gone] }
                  intranet: { rpo: 1d }
                alerts:
                  webhook: { url: "%2$s" }
                """.formatted(dir, receiver.url("/hook")));
        assertThat(drover("init").exitCode()).isZero();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void configValidateReviewsTheBia() {
        CliRun validate = drover("config", "validate");
        assertThat(validate.exitCode()).as(validate.all()).isZero();
        assertThat(validate.out()).contains("is valid: 1 targets, 2 sources, 2 jobs, 3 services")
                .contains("warning: the schedules of service 'archive' cannot meet its RPO of 1h")
                .contains("warning: service 'intranet' is not protected")
                .doesNotContain("'shop'");
        assertThat(drover("config", "validate", "--strict").exitCode()).isEqualTo(3);
    }

    @Test
    void statusShowsEveryServiceAndAFailedJobAlertsTheWebhook() throws Exception {
        CliRun before = drover("status", "--output", "json");
        assertThat(before.exitCode()).as(before.all()).isZero();
        List<Map<String, Object>> empty = rows(before.out());
        assertThat(empty).extracting(r -> r.get("service")).containsExactly("archive", "intranet", "shop");
        assertThat(empty).extracting(r -> r.get("state")).containsOnly("BREACHED");

        CliRun backup = drover("backup", "run", "data");
        assertThat(backup.exitCode()).as(backup.all()).isZero();
        Map<String, Object> shop = rows(drover("status", "--output", "json").out()).get(2);
        assertThat(shop.get("service")).isEqualTo("shop");
        assertThat(shop.get("state")).isEqualTo("OK");
        assertThat(shop.get("tier")).isEqualTo(1);
        assertThat(shop.get("rpoTargetSeconds")).isEqualTo(7200);
        assertThat(((Number) shop.get("achievedRpoSeconds")).longValue()).isBetween(0L, 60L);
        assertThat(shop.get("lastBackupAt")).isNotNull();
        assertThat(shop.get("nextRunAt")).asString().endsWith(":00:00Z");
        assertThat(((Map<?, ?>) shop.get("lastVerification")).get("level")).isEqualTo("quick");
        // The first evaluation of a healthy service is no news: nothing was sent.
        assertThat(receiver.received()).isEmpty();

        CliRun failed = drover("backup", "run", "nightly-gone");
        assertThat(failed.exitCode()).isNotZero();
        assertThat(receiver.received()).hasSize(2);
        Map<?, ?> jobFailed = Json.MAPPER.readValue(receiver.received().get(0).body(), Map.class);
        assertThat(jobFailed.get("kind")).isEqualTo("JOB_FAILED");
        assertThat(jobFailed.get("job")).isEqualTo("nightly-gone");
        assertThat(jobFailed.get("services")).isEqualTo(List.of("archive"));
        Map<?, ?> breached = Json.MAPPER.readValue(receiver.received().get(1).body(), Map.class);
        assertThat(breached.get("kind")).isEqualTo("RPO_STATE_CHANGE");
        assertThat(breached.get("service")).isEqualTo("archive");
        assertThat(breached.get("to")).isEqualTo("BREACHED");

        // The same failure again within the hour is not sent twice.
        assertThat(drover("backup", "run", "nightly-gone").exitCode()).isNotZero();
        assertThat(receiver.received()).hasSize(2);

        CliRun table = drover("status");
        assertThat(table.out()).containsPattern("shop +1 +2h +<1m +OK")
                .containsPattern("archive +3 +1h +none +BREACHED +\\S+ \\S+ failed")
                .containsPattern("intranet .* manual");
    }

    @Test
    void alertTestReachesEveryChannelOrSaysWhichFailed() {
        CliRun ok = drover("alert", "test");
        assertThat(ok.exitCode()).as(ok.all()).isZero();
        assertThat(ok.out()).contains("webhook  sent");
        assertThat(receiver.received()).hasSize(1);
        assertThat(receiver.received().get(0).body()).contains("\"kind\":\"TEST\"");

        receiver.failNext(3, 500);
        CliRun failed = drover("alert", "test");
        assertThat(failed.exitCode()).isEqualTo(6);
        assertThat(failed.out()).contains("webhook  failed: webhook alert to http://127.0.0.1:").contains("HTTP 500");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(String json) {
        return Json.MAPPER.readValue(json, List.class);
    }
}
