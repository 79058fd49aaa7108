package io.drover.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.drover.core.app.DroverRuntime;
import io.drover.core.catalog.SchedulerNodeRecord;
import io.drover.core.config.DroverConfig;
import io.drover.core.connector.ConnectorRegistry;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The scheduler on an embedded catalog, in-process: node records, clock skew, one daemon per catalog. */
class DroverSchedulerTest {
    @TempDir
    Path stateDir;

    private DroverRuntime runtime(Clock clock) {
        DroverConfig config = io.drover.core.rpo.TestConfigsAccess.config();
        return new DroverRuntime(config, new ConnectorRegistry(List.of(), List.of()), clock,
                Map.of("DROVER_STATE_DIR", stateDir.toString())::get);
    }

    @Test
    void aNodeWhoseClockIsOffByMoreThanASecondIsWarnedAbout() {
        Logger logger = (Logger) LoggerFactory.getLogger(DroverScheduler.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        Clock skewed = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(3));
        try (DroverRuntime runtime = runtime(skewed);
             DroverScheduler scheduler = new DroverScheduler(runtime, "skewed", new DaemonMetrics())) {
            scheduler.start();
            assertThat(scheduler.clockSkewMillis()).isBetween(2_500L, 3_500L);
            SchedulerNodeRecord node = runtime.catalog().schedulerNodes().getFirst();
            assertThat(node.node()).isEqualTo("skewed");
            assertThat(node.clockSkewMillis()).isBetween(2_500L, 3_500L);
            assertThat(events.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                    .contains("the clock of node skewed differs from the catalog database's by").contains("NTP"));
            scheduler.shutdown(Duration.ofSeconds(10)); // lets the RPO fire of the start finish before the runtime closes
            assertThat(runtime.catalog().schedulerNodes().getFirst().stoppedAt()).isPresent();
        } finally {
            logger.detachAppender(events);
        }
    }

    @Test
    void aSecondDaemonOnANonClusteredCatalogIsRefused() {
        try (DroverRuntime runtime = runtime(Clock.systemUTC());
             DroverScheduler first = new DroverScheduler(runtime, "first", new DaemonMetrics())) {
            first.start();
            try (DroverScheduler second = new DroverScheduler(runtime, "second", new DaemonMetrics())) {
                assertThatThrownBy(second::start).isInstanceOfSatisfying(DroverException.class, e -> {
                    assertThat(e.code()).isEqualTo(DroverErrors.DAEMON_RUNNING);
                    assertThat(e.getMessage()).contains("another drover serve is running on this catalog: node 'first'");
                    assertThat(e.hint()).contains("clustered: true");
                });
            }
            first.shutdown(Duration.ofSeconds(10));
        }
    }
}
