package io.drover.core.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.drover.core.catalog.AlertOutcome;
import io.drover.core.catalog.Catalog;
import io.drover.core.catalog.CatalogSettings;
import io.drover.core.config.AlertsConfig;
import io.drover.core.model.Secret;
import io.drover.core.repository.Json;
import io.drover.core.rpo.MutableClock;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alerts through real receivers: an HTTP server on loopback and GreenMail's SMTP server. */
class AlertDispatcherTest {
    private static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");
    private static final String SLACK_TOKEN_PATH = "/services/T000/B000/very-secret-token";

    @TempDir
    Path stateDir;

    private Catalog catalog;
    private WebhookReceiver receiver;
    private GreenMail smtp;
    private final MutableClock clock = new MutableClock(T0);
    private final List<Duration> slept = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        catalog = Catalog.open(CatalogSettings.embedded(stateDir));
        receiver = new WebhookReceiver();
        smtp = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        smtp.setUser("drover@example.net", "alerts", "mail-password");
    }

    @AfterEach
    void stop() {
        smtp.stop();
        receiver.close();
        catalog.close();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private AlertsConfig config(int rateLimit) {
        return new AlertsConfig(
                Optional.of(new AlertsConfig.Webhook(receiver.url("/hook"), Optional.of(Secret.of("bearer-123", "${env:HOOK_TOKEN}")),
                        Duration.ofSeconds(5))),
                Optional.of(new AlertsConfig.Slack(Secret.of(receiver.url(SLACK_TOKEN_PATH), "${env:SLACK_URL}"),
                        Duration.ofSeconds(5))),
                Optional.of(new AlertsConfig.Email(new AlertsConfig.Smtp("127.0.0.1", smtp.getSmtp().getPort(),
                        Optional.of("alerts"), Optional.of(Secret.of("mail-password", "${env:SMTP_PW}")), "none",
                        Duration.ofSeconds(5)), "drover@example.net", List.of("oncall@example.net", "dba@example.net"))),
                Duration.ofHours(1), rateLimit, Duration.ofMinutes(10));
    }

    private AlertDispatcher dispatcher(AlertsConfig config) {
        return new AlertDispatcher(AlertDispatcher.channels(config), catalog, clock, config, slept::add);
    }

    private static Alert failure(String message) {
        return Alerts.jobFailed("orders-db", "backup", 7, message, List.of("orders"), T0);
    }

    @Test
    void everyChannelDeliversWhatPeopleNeed() throws Exception {
        var deliveries = dispatcher(config(10)).dispatch(failure("target 'offsite' unreachable: connection refused"));

        assertThat(deliveries).extracting(AlertDispatcher.Delivery::channel, AlertDispatcher.Delivery::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("webhook", AlertOutcome.SENT),
                        org.assertj.core.groups.Tuple.tuple("slack", AlertOutcome.SENT),
                        org.assertj.core.groups.Tuple.tuple("email", AlertOutcome.SENT));
        var hook = receiver.received().stream().filter(r -> r.path().equals("/hook")).findFirst().orElseThrow();
        Map<?, ?> json = Json.MAPPER.readValue(hook.body(), Map.class);
        assertThat(json.get("kind")).isEqualTo("JOB_FAILED");
        assertThat(json.get("job")).isEqualTo("orders-db");
        assertThat(json.get("services")).isEqualTo(List.of("orders"));
        assertThat(json.get("error")).isEqualTo("target 'offsite' unreachable: connection refused");
        assertThat(hook.headers().get("Authorization")).containsExactly("Bearer bearer-123");

        var slack = receiver.received().stream().filter(r -> r.path().equals(SLACK_TOKEN_PATH)).findFirst().orElseThrow();
        Map<?, ?> slackJson = Json.MAPPER.readValue(slack.body(), Map.class);
        assertThat(slackJson.keySet()).extracting(Object::toString).containsExactly("text");
        assertThat((String) slackJson.get("text")).contains("orders-db: backup failed").contains("connection refused");

        assertThat(smtp.waitForIncomingEmail(5000, 2)).isTrue();
        MimeMessage[] mails = smtp.getReceivedMessages();
        assertThat(mails).hasSize(2);
        assertThat(mails[0].getSubject()).isEqualTo("[drover] orders-db: backup failed");
        assertThat(mails[0].getHeader("X-Drover-Alert-Key")[0]).startsWith("job-failed:orders-db:");
        assertThat(((String) mails[0].getContent())).contains("connection refused").contains("job: orders-db");
    }

    @Test
    void theSameFailureAlertsOncePerWindowAndANewOneAtOnce() {
        AlertDispatcher dispatcher = dispatcher(config(10));
        dispatcher.dispatch(failure("disk full"));
        clock.advance(Duration.ofMinutes(5));
        assertThat(dispatcher.dispatch(failure("disk full"))).extracting(AlertDispatcher.Delivery::outcome)
                .containsOnly(AlertOutcome.DEDUPLICATED);
        assertThat(dispatcher.dispatch(failure("permission denied"))).extracting(AlertDispatcher.Delivery::outcome)
                .containsOnly(AlertOutcome.SENT);
        clock.advance(Duration.ofMinutes(56));
        assertThat(dispatcher.dispatch(failure("disk full"))).extracting(AlertDispatcher.Delivery::outcome)
                .containsOnly(AlertOutcome.SENT);
        assertThat(receiver.received().stream().filter(r -> r.path().equals("/hook")).count()).isEqualTo(3);
    }

    @Test
    void theRateLimitHoldsAlertsBackAndTheNextOneSaysHowMany() throws Exception {
        AlertDispatcher dispatcher = dispatcher(config(2));
        for (int i = 0; i < 5; i++) {
            dispatcher.dispatch(failure("failure " + (char) ('a' + i)));
            clock.advance(Duration.ofSeconds(10));
        }
        assertThat(receiver.received().stream().filter(r -> r.path().equals("/hook")).count()).isEqualTo(2);
        clock.advance(Duration.ofMinutes(10));
        dispatcher.dispatch(failure("after the window"));
        var hooks = receiver.received().stream().filter(r -> r.path().equals("/hook")).toList();
        assertThat(hooks).hasSize(3);
        assertThat(Json.MAPPER.readValue(hooks.get(2).body(), Map.class).get("suppressedSinceLastAlert")).isEqualTo(3);
    }

    @Test
    void aFailingReceiverIsRetriedThenRecordedWithoutLeakingTheSlackToken() {
        AlertsConfig config = config(10);
        AlertsConfig slackOnly = new AlertsConfig(Optional.empty(), config.slack(), Optional.empty(),
                config.dedupeWindow(), 10, config.rateLimitWindow());
        receiver.failNext(1, 503);
        assertThat(dispatcher(slackOnly).dispatch(failure("first"))).extracting(AlertDispatcher.Delivery::outcome)
                .containsExactly(AlertOutcome.SENT);
        assertThat(slept).containsExactly(Duration.ofMillis(500));

        receiver.failNext(10, 500);
        var failed = dispatcher(slackOnly).dispatch(failure("second")).getFirst();
        assertThat(failed.outcome()).isEqualTo(AlertOutcome.FAILED);
        assertThat(failed.detail().orElseThrow()).contains("HTTP 500").contains("try again later")
                .doesNotContain("very-secret-token").doesNotContain("/services/");
        assertThat(catalog.alertDeliveries(10).getFirst().detail().orElseThrow()).doesNotContain("very-secret-token");
    }

    @Test
    void anUnreachableMailServerFailsClearly() {
        AlertsConfig config = config(10);
        AlertsConfig mailOnly = new AlertsConfig(Optional.empty(), Optional.empty(), Optional.of(new AlertsConfig.Email(
                new AlertsConfig.Smtp("127.0.0.1", 1, Optional.empty(), Optional.empty(), "none", Duration.ofSeconds(2)),
                "drover@example.net", List.of("oncall@example.net"))), config.dedupeWindow(), 10, config.rateLimitWindow());
        var delivery = dispatcher(mailOnly).dispatch(failure("x")).getFirst();
        assertThat(delivery.outcome()).isEqualTo(AlertOutcome.FAILED);
        assertThat(delivery.detail().orElseThrow()).startsWith("e-mail alert via 127.0.0.1:1 failed:")
                .containsIgnoringCase("connect");
    }

    @Test
    void aWrongMailPasswordFailsWithoutShowingIt() {
        AlertsConfig config = config(10);
        var email = config.email().orElseThrow();
        AlertsConfig wrong = new AlertsConfig(Optional.empty(), Optional.empty(), Optional.of(new AlertsConfig.Email(
                new AlertsConfig.Smtp(email.smtp().host(), email.smtp().port(), Optional.of("alerts"),
                        Optional.of(Secret.of("not-the-password", "${env:SMTP_PW}")), "none", Duration.ofSeconds(5)),
                email.from(), email.to())), config.dedupeWindow(), 10, config.rateLimitWindow());
        smtp.getManagers().getUserManager().setAuthRequired(true);
        var delivery = dispatcher(wrong).dispatch(failure("x")).getFirst();
        assertThat(delivery.outcome()).isEqualTo(AlertOutcome.FAILED);
        assertThat(delivery.detail().orElseThrow()).doesNotContain("not-the-password").containsIgnoringCase("auth");
    }
}
