package io.drover.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackupIdTest {
    @Test
    void idsSortByTime() {
        BackupId earlier = BackupId.generate(Instant.parse("2026-11-27T09:00:00Z"));
        BackupId later = BackupId.generate(Instant.parse("2026-11-27T10:00:00Z"));
        assertThat(earlier.value()).startsWith("20261127T090000Z-");
        assertThat(earlier).isLessThan(later);
    }

    @Test
    void rejectsMalformedIds() {
        assertThat(BackupId.isValid("../../etc")).isFalse();
        assertThatThrownBy(() -> new BackupId("latest")).hasMessageContaining("is not a backup id");
    }
}
