package io.drover.core.config;

import io.drover.core.spi.Default;
import java.time.Duration;

/**
 * Top-level {@code rpo-tracking:}: how services' achieved RPO is judged.
 *
 * @param atRiskFraction a service is AT_RISK once its newest usable recovery point is older than this
 *                       fraction of its RPO target (and BREACHED once older than the target)
 * @param interval       how often {@code drover serve} evaluates every service (also after every job)
 */
public record RpoTrackingConfig(@Default("0.75") double atRiskFraction, @Default("1m") Duration interval) {
    public static RpoTrackingConfig defaults() {
        return new RpoTrackingConfig(0.75, Duration.ofMinutes(1));
    }
}
