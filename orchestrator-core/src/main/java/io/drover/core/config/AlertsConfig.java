package io.drover.core.config;

import io.drover.core.model.Secret;
import io.drover.core.spi.Default;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Top-level {@code alerts:}: where RPO state changes and failed jobs are reported.
 *
 * @param dedupeWindow the same alert (same subject and state) is sent at most once within this window
 * @param rateLimit    at most this many alerts per channel within {@code rateLimitWindow}; the rest are
 *                     recorded as suppressed and summed up in the next alert that goes out
 */
public record AlertsConfig(Optional<Webhook> webhook, Optional<Slack> slack, Optional<Email> email,
                           @Default("1h") Duration dedupeWindow, @Default("20") int rateLimit,
                           @Default("1h") Duration rateLimitWindow) {
    public AlertsConfig {
        webhook = webhook == null ? Optional.empty() : webhook;
        slack = slack == null ? Optional.empty() : slack;
        email = email == null ? Optional.empty() : email;
    }

    public static AlertsConfig none() {
        return new AlertsConfig(Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofHours(1), 20,
                Duration.ofHours(1));
    }

    public boolean anyChannel() {
        return webhook.isPresent() || slack.isPresent() || email.isPresent();
    }

    /**
     * {@code webhook:}: a JSON document POSTed to {@code url}.
     *
     * @param bearerToken sent as {@code Authorization: Bearer ...} when the receiver wants one
     */
    public record Webhook(String url, Optional<Secret> bearerToken, @Default("10s") Duration timeout) {
        public Webhook {
            bearerToken = bearerToken == null ? Optional.empty() : bearerToken;
        }

        public URI uri() {
            return URI.create(url);
        }
    }

    /**
     * {@code slack:}: a Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat). Its URL is
     * the credential, so it is a secret: {@code ${env:NAME}} or {@code ${file:/path}}.
     */
    public record Slack(Secret url, @Default("10s") Duration timeout) {
        public URI uri() {
            return URI.create(url.reveal());
        }
    }

    /** {@code email:}: SMTP delivery. */
    public record Email(Smtp smtp, String from, List<String> to) {
        public Email {
            to = List.copyOf(to);
        }
    }

    /**
     * @param tls {@code starttls} (default, port 587), {@code ssl} (port 465) or {@code none} (a relay on
     *            localhost only)
     */
    public record Smtp(String host, @Default("587") int port, Optional<String> user, Optional<Secret> password,
                       @Default("starttls") String tls, @Default("10s") Duration timeout) {
        public Smtp {
            user = user == null ? Optional.empty() : user;
            password = password == null ? Optional.empty() : password;
        }
    }
}
