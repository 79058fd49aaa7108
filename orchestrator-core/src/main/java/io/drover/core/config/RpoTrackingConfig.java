package io.drover.core.config;

import io.drover.core.spi.Default;
import java.time.Duration;

/**
 * Top-level {@code rpo-tracking:}: how services' achieved RPO is judged.
 *
 * @param atRiskFraction a service is AT_RISK once its newest usable recovery point is older than this
 *                       fraction of its RPO target (and BREACHED once older than the target)
 * @param interval       how often {@code drover serve} evaluates every service (also after every job)
 * @param replicationInterval how often {@code drover serve} writes a heartbeat on the primary of every
 *                       database under {@code databases:} and measures its standbys' lag; the lag is
 *                       exact to about this much
 */
public record RpoTrackingConfig(@Default("0.75") double atRiskFraction, @Default("1m") Duration interval,
                                @Default("5s") Duration replicationInterval) {
    public static RpoTrackingConfig defaults() {
        return new RpoTrackingConfig(0.75, Duration.ofMinutes(1), Duration.ofSeconds(5));
    }

    public RpoTrackingConfig(double atRiskFraction, Duration interval) {
        this(atRiskFraction, interval, Duration.ofSeconds(5));
    }
}
