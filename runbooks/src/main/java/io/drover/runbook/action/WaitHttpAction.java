package io.drover.runbook.action;

import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.Default;
import io.drover.core.spi.action.Action;
import io.drover.core.spi.action.ActionCapability;
import io.drover.core.spi.action.ActionContext;
import io.drover.core.spi.action.ActionFactory;
import io.drover.core.spi.action.ActionOutputs;
import io.drover.core.spi.action.ActionPlan;
import io.drover.core.spi.action.CheckOutcome;
import io.drover.core.spi.action.Precondition;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code action: wait-http}: waits until a URL answers a GET with the expected status (and, if
 * given, a body containing a text). The URL's query is never logged: it may hold a token.
 */
public final class WaitHttpAction implements Action {
    private final Config config;

    WaitHttpAction(Config config) {
        this.config = config;
    }

    /**
     * The {@code with:} of a wait-http step.
     *
     * @param status   the expected status code
     * @param contains a text the body must contain
     */
    public record Config(String url, @Default("200") int status, Optional<String> contains,
                         @Default("60s") Duration timeout, @Default("1s") Duration interval,
                         @Default("5s") Duration requestTimeout) {
    }

    /** Finds {@code action: wait-http}. */
    public static final class Factory implements ActionFactory<Config> {
        @Override
        public String type() {
            return "wait-http";
        }

        @Override
        public Class<Config> configType() {
            return Config.class;
        }

        @Override
        public String description() {
            return "wait until a URL answers with the expected status";
        }

        @Override
        public List<ConfigProblem> validate(Config config) {
            List<ConfigProblem> problems = new ArrayList<>();
            try {
                URI uri = URI.create(config.url());
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                    problems.add(new ConfigProblem("url", "url must start with http:// or https://"));
                }
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem("url", "url is not a valid URL: " + e.getMessage()));
            }
            return problems;
        }

        @Override
        public Action create(Config config) {
            return new WaitHttpAction(config);
        }
    }

    private String shownUrl() {
        URI uri = URI.create(config.url());
        return uri.getScheme() + "://" + uri.getAuthority() + (uri.getPath() == null ? "" : uri.getPath());
    }

    @Override
    public Set<ActionCapability> capabilities() {
        return EnumSet.of(ActionCapability.CHECK);
    }

    private Waits.Probe probe() {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(config.requestTimeout()).build()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(config.url()))
                    .timeout(config.requestTimeout()).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != config.status()) {
                return new Waits.Probe(false, "status " + response.statusCode() + ", expected " + config.status());
            }
            if (config.contains().isPresent() && !response.body().contains(config.contains().get())) {
                return new Waits.Probe(false, "body does not contain '" + config.contains().get() + "'");
            }
            return new Waits.Probe(true, "status " + response.statusCode());
        } catch (IOException e) {
            return new Waits.Probe(false, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Waits.Probe(false, "interrupted");
        }
    }

    @Override
    public ActionPlan plan(ActionContext context) {
        Waits.Probe now = probe();
        return ActionPlan.of("wait up to " + config.timeout().toSeconds() + "s for " + shownUrl() + " to answer "
                + config.status(), Precondition.passed(shownUrl() + " answers now", now.ok() ? now.detail() : "not yet: "
                + now.detail()));
    }

    @Override
    public CheckOutcome check(ActionContext context) {
        Waits.Probe now = probe();
        return now.ok() ? CheckOutcome.done(shownUrl() + " " + now.detail()) : CheckOutcome.notDone(now.detail());
    }

    @Override
    public ActionOutputs run(ActionContext context) throws InterruptedException {
        long start = System.nanoTime();
        Waits.until(context, config.timeout(), config.interval(), shownUrl(), this::probe);
        return ActionOutputs.of(Map.of("waited-ms", Long.toString((System.nanoTime() - start) / 1_000_000)));
    }
}
