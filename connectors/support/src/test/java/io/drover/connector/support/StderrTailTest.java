package io.drover.connector.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StderrTailTest {

    @Test
    void keepsEverythingWhileItFits() {
        StderrTail tail = new StderrTail();
        tail.write("error: disk full\n".getBytes(StandardCharsets.UTF_8), 0, 17);

        assertThat(tail.toString()).isEqualTo("error: disk full");
    }

    @Test
    void keepsTheLastBytesOfLongOutput() {
        StderrTail tail = new StderrTail();
        byte[] noise = "x".repeat(StderrTail.CAPACITY * 3).getBytes(StandardCharsets.UTF_8);
        tail.write(noise, 0, noise.length);
        for (byte b : "END".getBytes(StandardCharsets.UTF_8)) {
            tail.write(b);
        }

        assertThat(tail.toString()).startsWith("...").endsWith("xxxEND").hasSize(StderrTail.CAPACITY + 3);
    }

    @Test
    void isEmptyWithoutOutput() {
        assertThat(new StderrTail().toString()).isEmpty();
    }
}
