package io.drover.core.storage;

import static io.drover.core.spi.StorageTargets.put;
import static io.drover.core.spi.StorageTargets.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.spi.NoSuchObjectException;
import io.drover.core.spi.ObjectAlreadyExistsException;
import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.StorageTarget;
import io.drover.core.spi.StorageTargetContract;
import io.drover.core.spi.TestBytes;
import io.drover.core.testing.InMemoryStorageTarget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryingStorageTargetTest extends StorageTargetContract {
    private final InMemoryStorageTarget memory = new InMemoryStorageTarget();
    private final FlakyStorageTarget flaky = new FlakyStorageTarget(memory);
    private final FakeTime time = new FakeTime();

    @Override
    protected StorageTarget newTarget() {
        return new RetryingStorageTarget(flaky, "offsite", new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30)),
                time, () -> 0.5);
    }

    @Test
    void transientFailuresOfEveryOperationAreRetriedWithGrowingJitteredDelays() throws IOException {
        flaky.failNext("create", 4);
        put(target, "a", new byte[] {1, 2});
        assertThat(flaky.calls("create")).isEqualTo(5);
        // 1s, 2s, 4s, 8s, each with equal jitter at 0.5: three quarters of it
        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(750), Duration.ofMillis(1500),
                Duration.ofSeconds(3), Duration.ofSeconds(6));

        flaky.failNext("stat", 2);
        assertThat(target.stat("a")).contains(new ObjectInfo("a", 2));
        flaky.failNext("list", 2);
        assertThat(target.list("")).containsExactly(new ObjectInfo("a", 2));
        flaky.failNext("open", 2);
        assertThat(read(target, "a")).containsExactly(1, 2);
        flaky.failNext("delete", 2);
        target.delete("a");
        assertThat(memory.stat("a")).isEmpty();
        assertThat(flaky.calls("stat") + flaky.calls("list") + flaky.calls("open") + flaky.calls("delete")).isEqualTo(12);
    }

    @Test
    void delaysAreCappedAtTheMaximum() throws IOException {
        target = new RetryingStorageTarget(flaky, "offsite", new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(3)),
                time, () -> 0.0);
        flaky.failNext("stat", 4);
        target.stat("a");
        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1),
                Duration.ofMillis(1500), Duration.ofMillis(1500));
    }

    @Test
    void persistentFailureEndsWithTheLastIOExceptionAfterAllAttempts() {
        flaky.failNext("stat", 100);

        assertThatThrownBy(() -> target.stat("a")).isInstanceOf(IOException.class).hasMessage("injected stat failure 5");
        assertThat(flaky.calls("stat")).isEqualTo(5);
        assertThat(time.sleeps()).hasSize(4);
    }

    @Test
    void answersAndProgrammingErrorsAreNotRetried() throws IOException {
        assertThatThrownBy(() -> target.open("missing")).isInstanceOf(NoSuchObjectException.class);
        put(target, "taken", new byte[] {1});
        assertThatThrownBy(() -> target.create("taken")).isInstanceOf(ObjectAlreadyExistsException.class);
        assertThatThrownBy(() -> target.stat("../escape")).isInstanceOf(IllegalArgumentException.class);
        flaky.failNext("delete", 3, n -> new NoSuchObjectException("gone"));
        assertThatThrownBy(() -> target.delete("taken")).isInstanceOf(NoSuchObjectException.class);

        assertThat(flaky.calls("open")).isEqualTo(1);
        assertThat(flaky.calls("create")).isEqualTo(2);
        assertThat(flaky.calls("stat")).isEqualTo(1);
        assertThat(flaky.calls("delete")).isEqualTo(1);
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void anInterruptedThreadIsNotRetried() {
        flaky.failNext("list", 3);
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> target.list("")).hasMessage("injected list failure 1");
        } finally {
            Thread.interrupted();
        }
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void aFailedCommitIsNotRetriedAndLeavesNothingVisible() {
        memory.failNextWrites(1);

        assertThatThrownBy(() -> put(target, "part", new byte[] {1, 2, 3})).isInstanceOf(IOException.class)
                .hasMessageContaining("injected write failure");
        assertThat(memory.list("")).isEmpty();
        assertThat(memory.pendingWrites()).isZero();
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void aReadThatBreaksMidwayResumesWithExactlyTheOriginalBytes() throws IOException {
        byte[] content = TestBytes.of(300_001, 7);
        memory.plant("big", content);
        // the first open and three reopens each deliver the first half and break: 5 attempts in all
        memory.failNextReads(4);

        assertThat(read(target, "big")).isEqualTo(content);
        assertThat(flaky.calls("open")).isEqualTo(5);
        assertThat(time.sleeps()).hasSize(4);
    }

    @Test
    void singleByteReadsResumeToo() throws IOException {
        byte[] content = TestBytes.of(1001, 8);
        memory.plant("small", content);
        memory.failNextReads(1);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        try (InputStream in = target.open("small")) {
            for (int b = in.read(); b >= 0; b = in.read()) {
                copy.write(b);
            }
        }
        assertThat(copy.toByteArray()).isEqualTo(content);
    }

    @Test
    void aReadThatKeepsBreakingWithoutProgressFailsAfterAllAttempts() {
        memory.plant("big", TestBytes.of(10_000, 9));
        memory.failNextReads(5);

        assertThatThrownBy(() -> read(target, "big")).isInstanceOf(IOException.class).hasMessage("injected read failure");
        assertThat(flaky.calls("open")).isEqualTo(5);
    }

    @Test
    void aResumedReadOfAnObjectDeletedMeanwhileReportsItMissing() throws IOException {
        memory.plant("big", TestBytes.of(10_000, 9));
        memory.failNextReads(1);
        try (InputStream in = target.open("big")) {
            in.readNBytes(5_000);
            memory.removeBehindDroversBack("big");
            assertThatThrownBy(in::read).isInstanceOf(NoSuchObjectException.class);
        }
    }
}
