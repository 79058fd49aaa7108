package io.drover.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BandwidthLimiterTest {
    private final FakeTime time = new FakeTime();
    private final BandwidthLimiter limiter = new BandwidthLimiter(1000, 100, time, time);

    @Test
    void aBurstPassesThenBytesWaitForTheRate() throws IOException {
        limiter.acquire(100);
        limiter.acquire(500);
        limiter.acquire(1000);

        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void idleTimeRefillsTheBucketOnlyUpToTheBurst() throws IOException {
        limiter.acquire(100);
        time.sleep(Duration.ofHours(1));
        limiter.acquire(300);

        assertThat(time.sleeps()).containsExactly(Duration.ofHours(1), Duration.ofMillis(200));
    }

    @Test
    void streamsThatTakeAtTheSameTimeQueueBehindEachOthersDebt() {
        assertThat(limiter.reserve(100)).isZero();
        assertThat(limiter.reserve(200)).isEqualTo(Duration.ofMillis(200));
        assertThat(limiter.reserve(300)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void manySmallWritesAverageToTheRate() throws IOException {
        for (int i = 0; i < 1000; i++) {
            limiter.acquire(10);
        }
        // 10,000 bytes at 1000 B/s, of which the first 100 came from the full bucket
        assertThat(time.slept()).isEqualTo(Duration.ofMillis(9_900));
    }
}
