package io.drover.core.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertsTest {
    private static final Instant AT = Instant.parse("2026-11-27T08:00:00Z");

    @Test
    void theSameFailureInDifferentRunsHasOneKeyAndADifferentFailureAnother() {
        Alert first = Alerts.jobFailed("orders", "backup", 1, "creating backups/20261127T125206Z-0b54d6fd/index failed:"
                + " disk full at 2026-11-27T12:52:06.010Z after 3 attempts", List.of("shop"), AT);
        Alert second = Alerts.jobFailed("orders", "backup", 2, "creating backups/20261127T125208Z-b1031b0f/index failed:"
                + " disk full at 2026-11-27T12:52:08.5Z after 3 attempts", List.of("shop"), AT);
        Alert other = Alerts.jobFailed("orders", "backup", 3, "creating backups/20261127T125208Z-b1031b0f/index failed:"
                + " permission denied", List.of("shop"), AT);
        assertThat(first.key()).isEqualTo(second.key()).isNotEqualTo(other.key());
        assertThat(first.fields()).containsEntry("error", first.fields().get("error")).containsEntry("runId", 1L);
    }
}
