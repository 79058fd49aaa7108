package io.drover.connector.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.drover.core.spi.TrafficState;
import io.drover.core.spi.TrafficSwitch;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What a stock client sees after a switch, and what the server's refusals look like, against a real BIND. */
class DnsSwitchTest {
    private static TestingBind bind;

    @BeforeAll
    static void start() throws Exception {
        bind = TestingBind.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (bind != null) {
            bind.close();
        }
    }

    @BeforeEach
    void ordersPointsAtDc1() throws Exception {
        try (TrafficSwitch dns = orders()) {
            dns.routeTo("dc1");
        }
    }

    private static TrafficSwitch orders() {
        return DnsSwitchContractTest.create(bind.ordersConfig());
    }

    private static TrafficSwitch signedWith(String keyName, String secret) {
        return DnsSwitchContractTest.create(bind.config(TestingBind.ORDERS, DnsConfig.RecordType.A, Map.of(), keyName, secret));
    }

    private static String randomSecret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Test
    void afterASwitchDigAnswersTheTargetsAddressWithTheConfiguredTtl() throws Exception {
        assertThat(bind.digAnswers("A", TestingBind.ORDERS)).containsExactly("orders.example.test. 60 IN A 192.0.2.10");
        try (TrafficSwitch dns = orders()) {
            dns.routeTo("dr1");
            assertThat(bind.digAnswers("A", TestingBind.ORDERS)).containsExactly("orders.example.test. 60 IN A 198.51.100.10");
            TrafficState state = dns.state();
            assertThat(state.active()).containsExactly("dr1");
            assertThat(state.details()).containsEntry("dr1", "in the A record set of orders.example.test. (TTL 60)")
                    .containsEntry("dc1", "not in the A record set of orders.example.test., which holds 198.51.100.10 (TTL 60)");
        }
    }

    @Test
    void theZonesSerialIncreasesWithASwitch() throws Exception {
        long before = bind.soaSerial();
        try (TrafficSwitch dns = orders()) {
            dns.routeTo("dr1");
        }
        assertThat(bind.soaSerial()).isGreaterThan(before);
    }

    @Test
    void anUpdateSignedWithAWrongSecretIsRefusedAndChangesNothing() throws Exception {
        try (TrafficSwitch forged = signedWith(TestingBind.KEY_NAME, randomSecret())) {
            assertThatThrownBy(() -> forged.routeTo("dr1")).isInstanceOf(IOException.class)
                    .hasMessageStartingWith(forged.describe() + ": the server rejected the signature of key drover-key (BADSIG) on the update:"
                            + " the secret from ${file:/etc/drover/tsig.secret} is not the server's secret of key drover-key");
            assertThatThrownBy(forged::state).isInstanceOf(IOException.class).hasMessageContaining("(BADSIG)");
        }
        assertThat(bind.digAnswers("A", TestingBind.ORDERS)).containsExactly("orders.example.test. 60 IN A 192.0.2.10");
    }

    @Test
    void aKeyTheServerDoesNotKnowIsRefusedNamingKeyAndAlgorithm() throws Exception {
        try (TrafficSwitch stranger = signedWith("stranger-key", randomSecret())) {
            assertThatThrownBy(() -> stranger.routeTo("dr1")).isInstanceOf(IOException.class)
                    .hasMessage(stranger.describe() + ": the server does not know key stranger-key with algorithm hmac-sha256 (BADKEY) and"
                            + " refused the update: add the key to the server's configuration, or correct tsig.name and tsig.algorithm");
        }
        assertThat(bind.digAnswers("A", TestingBind.ORDERS)).containsExactly("orders.example.test. 60 IN A 192.0.2.10");
    }

    @Test
    void aNameTheKeyMayNotUpdateIsRefusedSayingWhatToCheck() throws Exception {
        DnsConfig notGranted = bind.config("api.example.test.", DnsConfig.RecordType.A, Map.of(), TestingBind.KEY_NAME, bind.secret);
        try (TrafficSwitch dns = DnsSwitchContractTest.create(notGranted)) {
            assertThatThrownBy(() -> dns.routeTo("dr1")).isInstanceOf(IOException.class)
                    .hasMessage("DNS A api.example.test. on " + bind.server() + ": the server does not accept updates of api.example.test. A"
                            + " signed with key drover-key (REFUSED): check the allow-update/update-policy of zone example.test. and the key;"
                            + " nothing was changed");
            assertThat(dns.state().active()).as("the name does not exist").isEmpty();
            assertThat(dns.state().details()).containsEntry("dc1", "not in the A record set of api.example.test., which is empty");
        }
    }

    @Test
    void aZoneTheServerDoesNotServeIsNamedInTheRefusal() throws Exception {
        DnsConfig orders = bind.ordersConfig();
        DnsConfig otherZone = new DnsConfig(orders.server(), "example.org.", "orders.example.org.", orders.recordType(), orders.ttl(),
                orders.tsig(), orders.targets(), orders.timeout());
        try (TrafficSwitch dns = DnsSwitchContractTest.create(otherZone)) {
            assertThatThrownBy(() -> dns.routeTo("dr1")).isInstanceOf(IOException.class)
                    .hasMessageContaining("zone example.org.").hasMessageContaining("primary");
            assertThatThrownBy(dns::state).isInstanceOf(IOException.class).hasMessageContaining("zone example.org.");
        }
    }

    @Test
    void aServerThatNeverAnswersFailsAfterTheTimeout() throws Exception {
        // The kernel completes the TCP handshake for the backlog, but nothing ever reads or answers.
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1"))) {
            DnsConfig orders = bind.ordersConfig();
            DnsConfig config = new DnsConfig("127.0.0.1:" + silent.getLocalPort(), orders.zone(), orders.name(), orders.recordType(),
                    orders.ttl(), orders.tsig(), orders.targets(), java.time.Duration.ofMillis(700));
            try (TrafficSwitch dns = DnsSwitchContractTest.create(config)) {
                long started = System.nanoTime();
                assertThatThrownBy(() -> dns.routeTo("dr1")).isInstanceOf(IOException.class)
                        .hasMessageStartingWith(dns.describe() + ": no answer to the update within 700ms (timeout)");
                assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void valuesThatBelongToNoTargetAreReportedAndReplaced() throws Exception {
        try (TrafficSwitch other = DnsSwitchContractTest.create(bind.config(TestingBind.ORDERS, DnsConfig.RecordType.A,
                Map.of("elsewhere", "203.0.113.7"), TestingBind.KEY_NAME, bind.secret))) {
            other.routeTo("elsewhere"); // someone else pointed the name elsewhere
        }
        try (TrafficSwitch dns = orders()) {
            TrafficState state = dns.state();
            assertThat(state.active()).isEmpty();
            assertThat(state.details()).containsEntry("dc1", "not in the A record set of orders.example.test., which holds 203.0.113.7"
                    + " (TTL 60); 203.0.113.7 is no target's");
            dns.routeTo("dr1");
            assertThat(bind.digAnswers("A", TestingBind.ORDERS)).containsExactly("orders.example.test. 60 IN A 198.51.100.10");
        }
    }

    @Test
    void anUpdateTheServerIgnoresIsCaughtByReadingTheRecordSetBack() throws Exception {
        // BIND answers NOERROR to a CNAME added beside other data but leaves it out: only the read-back can tell.
        DnsConfig alias = bind.config(TestingBind.ORDERS, DnsConfig.RecordType.CNAME,
                Map.of("dc1", "lb.dc1.example.net.", "dr1", "lb.dr1.example.net."), TestingBind.KEY_NAME, bind.secret);
        try (TrafficSwitch dns = DnsSwitchContractTest.create(alias)) {
            assertThatThrownBy(() -> dns.routeTo("dr1")).isInstanceOf(IOException.class)
                    .hasMessage("DNS CNAME orders.example.test. on " + bind.server() + ": the server accepted the update to dr1"
                            + " (lb.dr1.example.net., TTL 60) but its CNAME record set of orders.example.test. is empty");
        }
    }

    @Test
    void aCnameSwitchWorksWhereTheNameHasNoOtherData() throws Exception {
        DnsConfig alias = bind.config("www.example.test.", DnsConfig.RecordType.CNAME,
                Map.of("dc1", "lb.dc1.example.net.", "dr1", "lb.dr1.example.net."), TestingBind.KEY_NAME, bind.secret);
        try (TrafficSwitch dns = DnsSwitchContractTest.create(alias)) {
            dns.routeTo("dr1");
            assertThat(bind.digAnswers("CNAME", "www.example.test.")).containsExactly("www.example.test. 60 IN CNAME lb.dr1.example.net.");
            dns.routeTo("dc1");
            assertThat(dns.state().active()).containsExactly("dc1");
        }
        // An A switch of the same name now sees the alias and says so.
        DnsConfig address = bind.config("www.example.test.", DnsConfig.RecordType.A, Map.of(), TestingBind.KEY_NAME, bind.secret);
        try (TrafficSwitch dns = DnsSwitchContractTest.create(address)) {
            assertThat(dns.state().details().get("dc1")).isEqualTo("not in the A record set of www.example.test., which is empty;"
                    + " the name is an alias (CNAME) of lb.dc1.example.net., so it has no other record set");
        }
    }

    @Test
    void theSecretIsInNoLogLineAndNoExceptionMessage() throws Exception {
        // Every level of dnsjava's and drover's loggers, into a list only (not onto the console).
        List<Logger> loggers = List.of((Logger) LoggerFactory.getLogger("org.xbill.DNS"), (Logger) LoggerFactory.getLogger("io.drover"));
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        for (Logger logger : loggers) {
            logger.addAppender(events);
            logger.setAdditive(false);
            logger.setLevel(Level.ALL);
        }
        String wrongSecret = randomSecret();
        List<String> texts = new ArrayList<>();
        try {
            try (TrafficSwitch dns = orders()) {
                dns.routeTo("dr1");
                texts.add(dns.state().toString());
                texts.add(dns.describe() + dns + dns.targets());
                collect(texts, () -> dns.routeTo("nowhere"));
            }
            try (TrafficSwitch forged = signedWith(TestingBind.KEY_NAME, wrongSecret)) {
                collect(texts, () -> forged.routeTo("dc1"));
                collect(texts, forged::state);
            }
        } finally {
            for (Logger logger : loggers) {
                logger.detachAppender(events);
                logger.setAdditive(true);
                logger.setLevel(null);
            }
        }
        assertThat(events.list).as("dnsjava logs the exchanges at debug level").isNotEmpty();
        for (ILoggingEvent event : events.list) {
            texts.add(event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                texts.add(t.getMessage());
            }
        }
        texts.add(bind.log());
        assertThat(texts).isNotEmpty().allSatisfy(text -> assertThat(String.valueOf(text)).doesNotContain(bind.secret)
                .doesNotContain(wrongSecret));
    }

    private interface Call {
        void run() throws Exception;
    }

    /** Runs a call that must fail and adds the messages of the exception and its causes. */
    private static void collect(List<String> texts, Call call) {
        try {
            call.run();
            throw new AssertionError("expected a failure");
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                texts.add(t.getMessage());
                texts.add(t.toString());
            }
        }
    }
}
