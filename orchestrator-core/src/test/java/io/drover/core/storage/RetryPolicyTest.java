package io.drover.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(100, Duration.ofSeconds(1), Duration.ofSeconds(30));

    @Test
    void delayDoublesFromTheInitialDelayAndStopsAtTheMaximum() {
        assertThat(policy.delayBefore(2, () -> 0.999_999_999)).isBetween(Duration.ofMillis(999), Duration.ofSeconds(1));
        assertThat(policy.delayBefore(3, () -> 0.0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delayBefore(6, () -> 0.0)).isEqualTo(Duration.ofSeconds(8));
        assertThat(policy.delayBefore(7, () -> 0.0)).isEqualTo(Duration.ofSeconds(15));
        assertThat(policy.delayBefore(100, () -> 0.5)).isEqualTo(Duration.ofMillis(22_500));
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> policy.delayBefore(1, () -> 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
