package io.drover.connector.filesystem;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SmallPartsTest {

    @Test
    void stderrTailKeepsEverythingWhileItFits() {
        StderrTail tail = new StderrTail();
        tail.write("error: disk full\n".getBytes(StandardCharsets.UTF_8), 0, 17);

        assertThat(tail.toString()).isEqualTo("error: disk full");
    }

    @Test
    void stderrTailKeepsTheLastBytesOfLongOutput() {
        StderrTail tail = new StderrTail();
        byte[] noise = "x".repeat(StderrTail.CAPACITY * 3).getBytes(StandardCharsets.UTF_8);
        tail.write(noise, 0, noise.length);
        for (byte b : "END".getBytes(StandardCharsets.UTF_8)) {
            tail.write(b);
        }

        assertThat(tail.toString()).startsWith("...").endsWith("xxxEND").hasSize(StderrTail.CAPACITY + 3);
    }

    @Test
    void durationsReadLikeConfig() {
        assertThat(HumanDuration.format(Duration.ofMinutes(10))).isEqualTo("10m");
        assertThat(HumanDuration.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(HumanDuration.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(HumanDuration.format(Duration.ofSeconds(61))).isEqualTo("1m1s");
    }
}
