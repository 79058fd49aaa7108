package io.drover.connector.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HumanDurationTest {

    @Test
    void durationsReadLikeConfig() {
        assertThat(HumanDuration.format(Duration.ofMinutes(10))).isEqualTo("10m");
        assertThat(HumanDuration.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(HumanDuration.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(HumanDuration.format(Duration.ofSeconds(61))).isEqualTo("1m1s");
        assertThat(HumanDuration.format(Duration.ofHours(25))).isEqualTo("25h");
    }
}
