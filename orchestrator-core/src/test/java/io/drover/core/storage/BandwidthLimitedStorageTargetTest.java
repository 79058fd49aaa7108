package io.drover.core.storage;

import static io.drover.core.spi.StorageTargets.put;
import static io.drover.core.spi.StorageTargets.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.spi.ObjectOutput;
import io.drover.core.spi.StorageTarget;
import io.drover.core.spi.StorageTargetContract;
import io.drover.core.spi.TestBytes;
import io.drover.core.testing.InMemoryStorageTarget;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BandwidthLimitedStorageTargetTest extends StorageTargetContract {
    private final FakeTime time = new FakeTime();
    private final InMemoryStorageTarget memory = new InMemoryStorageTarget();

    @Override
    protected StorageTarget newTarget() {
        return new BandwidthLimitedStorageTarget(memory, Optional.of(new BandwidthLimiter(1 << 20, time, time)),
                Optional.of(new BandwidthLimiter(2 << 20, time, time)));
    }

    @Test
    void uploadsTakeAsLongAsTheUploadRateSays() throws IOException {
        byte[] content = TestBytes.of(10 << 20, 1);
        try (ObjectOutput out = target.create("part")) {
            for (int offset = 0; offset < content.length; offset += 64 * 1024) {
                out.write(content, offset, 64 * 1024);
            }
            out.write(7);
            out.commit();
        }
        // 10 MiB + 1 byte at 1 MiB/s, less the burst of a tenth of a second that was free
        Duration expected = Duration.ofNanos(Math.round((10 + 1.0 / (1 << 20) - 0.1) * 1e9));
        assertThat(time.slept()).isBetween(expected.minusMillis(1), expected.plusMillis(1));
    }

    @Test
    void downloadsUseTheirOwnRate() throws IOException {
        memory.plant("part", TestBytes.of(10 << 20, 2));

        assertThat(read(target, "part")).isEqualTo(TestBytes.of(10 << 20, 2));
        Duration expected = Duration.ofMillis(4_900);
        assertThat(time.slept()).isBetween(expected.minusMillis(1), expected.plusMillis(1));
    }

    @Test
    void aDirectionWithoutALimitNeverWaits() throws IOException {
        target = new BandwidthLimitedStorageTarget(memory, Optional.of(new BandwidthLimiter(1000, time, time)), Optional.empty());
        memory.plant("big", TestBytes.of(1 << 20, 3));
        try (InputStream in = target.open("big")) {
            in.readAllBytes();
        }
        assertThat(time.sleeps()).isEmpty();
        put(target, "small", new byte[2000]);
        assertThat(time.slept()).isEqualTo(Duration.ofMillis(1900));
    }
}
