package io.drover.core.alert;

import io.drover.core.config.AlertsConfig;
import io.drover.core.repository.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * POSTs alerts as JSON. The generic webhook gets every field; the Slack-compatible one gets the
 * {@code {"text": ...}} body that Slack, Mattermost and Rocket.Chat incoming webhooks accept.
 */
public final class WebhookChannel implements AlertChannel {
    private final String name;
    private final URI uri;
    private final Optional<String> bearerToken;
    private final Duration timeout;
    private final boolean slack;
    private final HttpClient client;

    private WebhookChannel(String name, URI uri, Optional<String> bearerToken, Duration timeout, boolean slack) {
        this.name = name;
        this.uri = uri;
        this.bearerToken = bearerToken;
        this.timeout = timeout;
        this.slack = slack;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public static WebhookChannel webhook(AlertsConfig.Webhook config) {
        return new WebhookChannel("webhook", config.uri(), config.bearerToken().map(s -> s.reveal()), config.timeout(),
                false);
    }

    public static WebhookChannel slack(AlertsConfig.Slack config) {
        return new WebhookChannel("slack", config.uri(), Optional.empty(), config.timeout(), true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void send(Alert alert, int suppressed) throws IOException {
        String body = Json.MAPPER.writeValueAsString(slack ? slackBody(alert, suppressed) : webhookBody(alert, suppressed));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "drover-alerts")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        bearerToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(name + " alert to " + where() + " interrupted", e);
        } catch (IOException e) {
            throw new IOException(name + " alert to " + where() + " failed: " + describe(e));
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException(name + " alert to " + where() + " was refused with HTTP " + response.statusCode()
                    + snippet(response.body()));
        }
    }

    static Map<String, Object> webhookBody(Alert alert, int suppressed) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", alert.kind().name());
        body.put("severity", alert.severity().name());
        body.put("key", alert.key());
        body.put("title", alert.title());
        body.put("text", alert.text());
        body.put("at", alert.at().toString());
        body.putAll(alert.fields());
        body.put("suppressedSinceLastAlert", suppressed);
        return body;
    }

    static Map<String, Object> slackBody(Alert alert, int suppressed) {
        String icon = switch (alert.severity()) {
            case CRITICAL -> ":red_circle:";
            case WARNING -> ":warning:";
            case INFO -> ":white_check_mark:";
        };
        String more = suppressed > 0 ? "\n_(" + suppressed + " more alerts were held back by the rate limit)_" : "";
        return Map.of("text", icon + " *" + alert.title() + "*\n" + alert.text() + more);
    }

    /** Scheme, host and port only: a webhook's path often carries its token. */
    private String where() {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static String snippet(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return ": " + (oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine);
    }
}
