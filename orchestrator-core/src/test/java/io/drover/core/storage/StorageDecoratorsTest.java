package io.drover.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.config.TargetLimits;
import io.drover.core.model.DataSize;
import io.drover.core.spi.StorageTarget;
import io.drover.core.testing.InMemoryStorageTarget;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StorageDecoratorsTest {
    private final InMemoryStorageTarget memory = new InMemoryStorageTarget();

    @Test
    void withoutALimitsBlockOnlyRetriesAreOn() {
        assertThat(StorageDecorators.wrap(memory, "t", TargetLimits.DEFAULT)).isInstanceOf(RetryingStorageTarget.class);
    }

    @Test
    void oneAttemptAndNoLimitsLeaveTheConnectorAlone() {
        TargetLimits none = new TargetLimits(1, Duration.ZERO, Duration.ZERO, Optional.empty(), Optional.empty(), 0);
        assertThat(StorageDecorators.wrap(memory, "t", none)).isSameAs(memory);
    }

    @Test
    void everyLimitStacksConcurrencyOutsideBandwidthOutsideRetry() throws Exception {
        TargetLimits all = new TargetLimits(3, Duration.ofSeconds(1), Duration.ofSeconds(2),
                Optional.of(DataSize.ofMebibytes(1)), Optional.empty(), 2);
        StorageTarget target = StorageDecorators.wrap(memory, "t", all);

        assertThat(target).isInstanceOf(ConcurrencyLimitedStorageTarget.class);
        assertThat(target).extracting("delegate").isInstanceOf(BandwidthLimitedStorageTarget.class)
                .extracting("delegate").isInstanceOf(RetryingStorageTarget.class)
                .extracting("delegate").isSameAs(memory);
        assertThat(target.describe()).isEqualTo(memory.describe());
        assertThat(target.capabilities()).isEqualTo(memory.capabilities());
    }
}
