package io.drover.core.rpo;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.config.AlertsConfig;
import io.drover.core.model.VerificationLevel;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BiaReviewTest {
    private static final Instant FROM = Instant.parse("2026-11-27T00:00:00Z");

    @Test
    void findsWhatCannotMeetTheBia() {
        var config = TestConfigs.config(
                Map.of("hourly", TestConfigs.job(Optional.of("0 0 * * * ?"), Optional.of(VerificationLevel.QUICK)),
                        "nightly", TestConfigs.job(Optional.of("0 0 2 * * ?"), Optional.empty()),
                        "manual", TestConfigs.job(Optional.empty(), Optional.empty())),
                Map.of("fine", TestConfigs.service(Optional.of(Duration.ofHours(2)), Optional.of(VerificationLevel.QUICK), "hourly"),
                        "too-rare", TestConfigs.service(Optional.of(Duration.ofHours(1)), Optional.empty(), "nightly"),
                        "manual-only", TestConfigs.service(Optional.of(Duration.ofHours(1)), Optional.empty(), "manual"),
                        "nobody", TestConfigs.service(Optional.of(Duration.ofHours(1)), Optional.empty()),
                        "no-target", TestConfigs.service(Optional.empty(), Optional.empty(), "hourly"),
                        "unverified", TestConfigs.service(Optional.of(Duration.ofDays(2)), Optional.of(VerificationLevel.DEEP),
                                "nightly", "hourly")),
                0.75, AlertsConfig.none());

        var findings = BiaReview.review(config, FROM);

        assertThat(findings).extracting(BiaFinding::service)
                .containsExactly("manual-only", "no-target", "nobody", "too-rare", "unverified");
        assertThat(findings).extracting(BiaFinding::message).satisfiesExactly(
                m -> assertThat(m).contains("none of its jobs has a schedule"),
                m -> assertThat(m).contains("no rpo target"),
                m -> assertThat(m).contains("is not protected"),
                m -> assertThat(m).contains("cannot meet its RPO of 1h").contains("1d apart"),
                m -> assertThat(m).contains("verified at level deep").contains("after-backup: deep"));
    }
}
