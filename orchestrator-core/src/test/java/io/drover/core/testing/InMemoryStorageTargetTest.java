package io.drover.core.testing;

import static io.drover.core.spi.StorageTargets.put;
import static io.drover.core.spi.StorageTargets.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.spi.NoSuchObjectException;
import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.ObjectOutput;
import io.drover.core.spi.StorageCapability;
import io.drover.core.spi.StorageTarget;
import io.drover.core.spi.StorageTargetContract;
import io.drover.core.spi.TestBytes;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class InMemoryStorageTargetTest extends StorageTargetContract {

    @Override
    protected StorageTarget newTarget() {
        return new InMemoryStorageTarget();
    }

    private InMemoryStorageTarget memory() {
        return (InMemoryStorageTarget) target;
    }

    @Test
    void failedWritesLeaveNothingAndLaterWritesSucceed() throws IOException {
        memory().failNextWrites(2);

        assertThatThrownBy(() -> put(target, "a", new byte[] {1})).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> put(target, "a", new byte[] {1})).isInstanceOf(IOException.class);
        assertThat(target.stat("a")).isEmpty();

        put(target, "a", new byte[] {1});
        assertThat(read(target, "a")).containsExactly(1);
        assertThat(memory().pendingWrites()).isZero();
    }

    @Test
    void failedReadsDeliverHalfThenThrowAndLaterReadsSucceed() throws IOException {
        byte[] content = TestBytes.of(100, 7);
        put(target, "a", content);
        memory().failNextReads(1);

        try (InputStream in = target.open("a")) {
            assertThat(in.readNBytes(50)).hasSize(50);
            assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessageContaining("injected");
        }
        assertThat(read(target, "a")).isEqualTo(content);
    }

    @Test
    void corruptKeepsTheSizeButChangesOneByte() throws IOException {
        byte[] content = TestBytes.of(11, 8);
        put(target, "a", content);

        memory().corrupt("a");

        byte[] damaged = read(target, "a");
        assertThat(damaged).hasSameSizeAs(content).isNotEqualTo(content);
        assertThat(target.stat("a")).contains(new ObjectInfo("a", 11));
    }

    @Test
    void truncateShortensTheObject() throws IOException {
        put(target, "a", TestBytes.of(100, 9));

        memory().truncate("a", 40);

        assertThat(target.stat("a")).contains(new ObjectInfo("a", 40));
        assertThat(read(target, "a")).isEqualTo(Arrays.copyOf(TestBytes.of(100, 9), 40));
    }

    @Test
    void removeBehindDroversBackMakesTheObjectMissing() throws IOException {
        put(target, "a", new byte[] {1});

        memory().removeBehindDroversBack("a");

        assertThat(target.stat("a")).isEmpty();
    }

    @Test
    void faultsOnMissingObjectsSayWhichKey() {
        assertThatThrownBy(() -> memory().corrupt("nope")).isInstanceOf(NoSuchObjectException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> memory().truncate("nope", 0)).isInstanceOf(NoSuchObjectException.class);
        assertThatThrownBy(() -> memory().removeBehindDroversBack("nope")).isInstanceOf(NoSuchObjectException.class);
    }

    @Test
    void pendingWritesCountsUnfinishedOutputs() throws IOException {
        ObjectOutput out = target.create("a");
        assertThat(memory().pendingWrites()).isEqualTo(1);

        out.close();

        assertThat(memory().pendingWrites()).isZero();
    }

    @Test
    void writeAfterCommitFails() throws IOException {
        ObjectOutput out = target.create("a");
        out.commit();

        assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class);
    }

    @Test
    void declaresTheCapabilitiesItWasGiven() {
        InMemoryStorageTarget durable = new InMemoryStorageTarget(EnumSet.of(StorageCapability.DURABLE_COMMIT));

        assertThat(durable.capabilities()).containsExactly(StorageCapability.DURABLE_COMMIT);
        assertThat(memory().capabilities()).containsExactly(StorageCapability.ATOMIC_CREATE);
    }

    @Test
    void plantedObjectsAreReadable() throws IOException {
        memory().plant("old/format", new byte[] {4, 2});

        assertThat(read(target, "old/format")).containsExactly(4, 2);
        assertThat(memory().bytes("old/format")).containsExactly(4, 2);
    }
}
