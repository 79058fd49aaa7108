package io.drover.core.alert;

import io.drover.core.catalog.AlertClaim;
import io.drover.core.catalog.AlertOutcome;
import io.drover.core.catalog.Catalog;
import io.drover.core.config.AlertsConfig;
import io.drover.core.storage.Sleeper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends alerts to every configured channel, each at most once per dedupe window and within the
 * channel's rate limit, recording every decision in the catalog (so several nodes, or a CLI run and
 * the daemon, share one memory). A failing channel never fails the job that raised the alert: the
 * failure is retried a few times, logged and recorded.
 */
public final class AlertDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(AlertDispatcher.class);
    private static final List<Duration> RETRY_DELAYS = List.of(Duration.ofMillis(500), Duration.ofSeconds(2));

    private final List<AlertChannel> channels;
    private final Catalog catalog;
    private final Clock clock;
    private final AlertsConfig config;
    private final Sleeper sleeper;

    public AlertDispatcher(List<AlertChannel> channels, Catalog catalog, Clock clock, AlertsConfig config,
                           Sleeper sleeper) {
        this.channels = List.copyOf(channels);
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.config = Objects.requireNonNull(config, "config");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** The channels {@code alerts:} configures, in a fixed order: webhook, slack, email. */
    public static List<AlertChannel> channels(AlertsConfig config) {
        List<AlertChannel> channels = new ArrayList<>();
        config.webhook().ifPresent(w -> channels.add(WebhookChannel.webhook(w)));
        config.slack().ifPresent(s -> channels.add(WebhookChannel.slack(s)));
        config.email().ifPresent(e -> channels.add(new EmailChannel(e)));
        return channels;
    }

    public List<AlertChannel> channels() {
        return channels;
    }

    /** What became of an alert on one channel. */
    public record Delivery(String channel, AlertOutcome outcome, Optional<String> detail) {
    }

    public List<Delivery> dispatch(Alert alert) {
        List<Delivery> deliveries = new ArrayList<>();
        for (AlertChannel channel : channels) {
            deliveries.add(dispatch(channel, alert));
        }
        return deliveries;
    }

    private Delivery dispatch(AlertChannel channel, Alert alert) {
        AlertClaim claim = catalog.claimAlert(channel.name(), alert.key(), clock.instant(), config.dedupeWindow(),
                config.rateLimit(), config.rateLimitWindow());
        if (!claim.send()) {
            LOG.info("alert '{}' not sent to {}: {}", alert.title(), channel.name(), claim.outcome());
            return new Delivery(channel.name(), claim.outcome(), Optional.empty());
        }
        IOException last = null;
        for (int attempt = 0; attempt <= RETRY_DELAYS.size(); attempt++) {
            try {
                if (attempt > 0) {
                    sleeper.sleep(RETRY_DELAYS.get(attempt - 1));
                }
                channel.send(alert, claim.suppressed());
                catalog.finishAlert(claim.id(), AlertOutcome.SENT, Optional.empty());
                return new Delivery(channel.name(), AlertOutcome.SENT, Optional.empty());
            } catch (java.io.InterruptedIOException e) {
                last = e;
                break;
            } catch (IOException e) {
                last = e;
                LOG.warn("alert '{}' to {} failed (attempt {} of {}): {}", alert.title(), channel.name(), attempt + 1,
                        RETRY_DELAYS.size() + 1, e.getMessage());
            }
        }
        String detail = last.getMessage();
        catalog.finishAlert(claim.id(), AlertOutcome.FAILED, Optional.of(detail));
        return new Delivery(channel.name(), AlertOutcome.FAILED, Optional.of(detail));
    }
}
