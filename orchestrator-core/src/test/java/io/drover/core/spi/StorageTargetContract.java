package io.drover.core.spi;

import static io.drover.core.spi.StorageTargets.put;
import static io.drover.core.spi.StorageTargets.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules of {@link StorageTarget} and {@link ObjectOutput} as tests. Every storage target and
 * every fake extends this class and supplies a fresh, empty target per test.
 */
public abstract class StorageTargetContract {

    protected StorageTarget target;

    /** A new, empty target; called once per test. */
    protected abstract StorageTarget newTarget() throws Exception;

    /**
     * Whether the target removes abandoned writes ({@link StorageTarget#removeAbandonedWrites}).
     * A target that says no still must leave every object alone and report nothing removed; say
     * no only while an implementation is pending.
     */
    protected boolean supportsAbandonedWriteCleanup() {
        return true;
    }

    @BeforeEach
    void createTarget() throws Exception {
        target = newTarget();
    }

    @AfterEach
    void closeTarget() throws Exception {
        target.close();
    }

    // --- round trips -------------------------------------------------------------------------

    @Test
    void emptyObjectRoundTrips() throws IOException {
        ObjectInfo info = put(target, "empty", new byte[0]);

        assertThat(info).isEqualTo(new ObjectInfo("empty", 0));
        assertThat(read(target, "empty")).isEmpty();
        assertThat(target.stat("empty")).contains(new ObjectInfo("empty", 0));
    }

    @Test
    void oneByteObjectRoundTripsThroughSingleByteWrite() throws IOException {
        ObjectInfo info;
        try (ObjectOutput out = target.create("one")) {
            out.write(0xAB);
            info = out.commit();
        }

        assertThat(info).isEqualTo(new ObjectInfo("one", 1));
        assertThat(read(target, "one")).containsExactly((byte) 0xAB);
    }

    @Test
    void severalMebibytesStreamedInOddSizedWritesRoundTrip() throws IOException {
        byte[] content = TestBytes.of(5 * 1024 * 1024 + 13, 42);
        int[] chunkSizes = {1, 7, 4093, 65_537, 1024 * 1024 + 1, 3, 2 * 1024 * 1024 - 5};
        ObjectInfo info;
        try (ObjectOutput out = target.create("parts/big.bin")) {
            int offset = 0;
            for (int i = 0; offset < content.length; i++) {
                int length = Math.min(chunkSizes[i % chunkSizes.length], content.length - offset);
                if (length == 1) {
                    out.write(content[offset]);
                } else {
                    out.write(content, offset, length);
                }
                offset += length;
            }
            info = out.commit();
        }

        assertThat(info).isEqualTo(new ObjectInfo("parts/big.bin", content.length));
        assertThat(read(target, "parts/big.bin")).isEqualTo(content);
        assertThat(target.stat("parts/big.bin")).contains(info);
    }

    @Test
    void objectCanBeOpenedSeveralTimesFromTheStart() throws IOException {
        byte[] content = TestBytes.of(1000, 1);
        put(target, "k", content);

        try (InputStream first = target.open("k"); InputStream second = target.open("k")) {
            assertThat(first.readNBytes(10)).isEqualTo(Arrays.copyOf(content, 10));
            assertThat(second.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void nestedKeysAreIndependentObjects() throws IOException {
        put(target, "a/b/c", new byte[] {1});
        put(target, "a/b/d", new byte[] {2, 2});
        put(target, "a/e", new byte[] {3, 3, 3});

        assertThat(read(target, "a/b/c")).containsExactly(1);
        assertThat(read(target, "a/b/d")).containsExactly(2, 2);
        assertThat(read(target, "a/e")).containsExactly(3, 3, 3);
    }

    @Test
    void preparingForConcurrentUseReturnsAtOnceAndObjectsWorkAfterwards() throws IOException {
        long started = System.nanoTime();
        target.prepareConcurrentUse(2);
        target.prepareConcurrentUse(2); // again: a hint, not a count to add up
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));

        byte[] part = TestBytes.of(70_000, 5);
        try (ObjectOutput first = target.create("prepared/part"); ObjectOutput second = target.create("prepared/index")) {
            first.write(part);
            second.write(new byte[] {9});
            first.commit();
            second.commit();
        }
        assertThat(read(target, "prepared/part")).isEqualTo(part);
        assertThat(read(target, "prepared/index")).containsExactly(9);
    }

    @Test
    void preparingAClosedTargetIsHarmless() throws IOException {
        target.prepareConcurrentUse(2);
        target.close();

        assertThatCode(() -> target.prepareConcurrentUse(3)).doesNotThrowAnyException();
    }

    // --- visibility --------------------------------------------------------------------------

    @Test
    void nothingIsVisibleBeforeCommit() throws IOException {
        try (ObjectOutput out = target.create("dir/pending")) {
            out.write(TestBytes.of(10_000, 2));
            out.flush();

            assertNotVisible("dir/pending");

            out.commit();
        }
        assertThat(target.stat("dir/pending")).contains(new ObjectInfo("dir/pending", 10_000));
        assertThat(target.list("")).extracting(ObjectInfo::key).containsExactly("dir/pending");
    }

    @Test
    void abortLeavesNothingVisible() throws IOException {
        ObjectOutput out = target.create("dir/aborted");
        out.write(TestBytes.of(5000, 3));
        out.abort();

        assertNotVisible("dir/aborted");
    }

    @Test
    void closeWithoutCommitLeavesNothingVisible() throws IOException {
        try (ObjectOutput out = target.create("dir/closed")) {
            out.write(TestBytes.of(5000, 4));
        }

        assertNotVisible("dir/closed");
    }

    @Test
    void abortIsIdempotentAndNeverThrows() throws IOException {
        ObjectOutput out = target.create("k");
        out.write(1);

        assertThatCode(() -> {
            out.abort();
            out.abort();
            out.close();
        }).doesNotThrowAnyException();
        assertNotVisible("k");
    }

    @Test
    void abortedKeyCanBeWrittenAfterwards() throws IOException {
        try (ObjectOutput out = target.create("k")) {
            out.write(1);
        }

        put(target, "k", new byte[] {2});

        assertThat(read(target, "k")).containsExactly(2);
    }

    @Test
    void closeAfterCommitKeepsTheObject() throws IOException {
        ObjectOutput out = target.create("k");
        out.write(new byte[] {1, 2, 3});
        out.commit();
        out.close();
        out.abort();

        assertThat(read(target, "k")).containsExactly(1, 2, 3);
    }

    // --- write once --------------------------------------------------------------------------

    @Test
    void writingAnExistingKeyFailsAndKeepsTheOldContent() throws IOException {
        put(target, "once", new byte[] {1, 2, 3});

        assertThatThrownBy(() -> put(target, "once", new byte[] {9}))
                .isInstanceOf(ObjectAlreadyExistsException.class);

        assertThat(read(target, "once")).containsExactly(1, 2, 3);
        assertThat(target.stat("once")).contains(new ObjectInfo("once", 3));
    }

    @Test
    void commitFailsWhenAnotherWriterTookTheKeyMeanwhile() throws IOException {
        ObjectOutput first = target.create("race");
        ObjectOutput second = target.create("race");
        first.write(new byte[] {1});
        second.write(new byte[] {2, 2});

        first.commit();

        assertThatThrownBy(second::commit).isInstanceOf(ObjectAlreadyExistsException.class);
        second.close();
        first.close();
        assertThat(read(target, "race")).containsExactly(1);
        assertThat(target.list("")).extracting(ObjectInfo::key).containsExactly("race");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentCommitsToOneKeyHaveExactlyOneWinner() throws Exception {
        int writers = 8;
        CyclicBarrier allWritten = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                byte[] content = TestBytes.of(64 * 1024 + i, 100 + i);
                results.add(pool.submit(() -> writeAfterBarrier(allWritten, content)));
            }
            List<byte[]> winners = new ArrayList<>();
            for (Future<byte[]> result : results) {
                byte[] won = result.get();
                if (won != null) {
                    winners.add(won);
                }
            }

            assertThat(winners).hasSize(1);
            assertThat(read(target, "contended")).isEqualTo(winners.get(0));
            assertThat(target.list("")).extracting(ObjectInfo::key).containsExactly("contended");
        } finally {
            pool.shutdownNow();
        }
    }

    /** Returns the content if this writer's commit won, {@code null} if it lost with the expected exception. */
    private byte[] writeAfterBarrier(CyclicBarrier barrier, byte[] content) throws Exception {
        ObjectOutput out;
        try {
            out = target.create("contended");
        } catch (ObjectAlreadyExistsException lost) {
            barrier.await();
            return null;
        }
        try (out) {
            out.write(content);
            barrier.await();
            out.commit();
            return content;
        } catch (ObjectAlreadyExistsException lost) {
            return null;
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentWritersOfDifferentKeysInOneDirectoryAllSucceed() throws Exception {
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<ObjectInfo>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String key = "shared/dir/k" + i;
                byte[] content = TestBytes.of(1000 + i, i);
                results.add(pool.submit(() -> put(target, key, content)));
            }
            for (Future<ObjectInfo> result : results) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(target.list("shared/")).hasSize(writers);
        for (int i = 0; i < writers; i++) {
            assertThat(read(target, "shared/dir/k" + i)).isEqualTo(TestBytes.of(1000 + i, i));
        }
    }

    // --- missing objects ---------------------------------------------------------------------

    @Test
    void openOfMissingKeyThrowsNoSuchObject() {
        assertThatThrownBy(() -> target.open("missing")).isInstanceOf(NoSuchObjectException.class);
        assertThatThrownBy(() -> target.open("no/such/dir/missing")).isInstanceOf(NoSuchObjectException.class);
    }

    @Test
    void statOfMissingKeyIsEmpty() throws IOException {
        assertThat(target.stat("missing")).isEmpty();
        assertThat(target.stat("no/such/dir/missing")).isEmpty();
    }

    @Test
    void aKeyThatIsOnlyAPrefixOfOtherKeysIsNoObject() throws IOException {
        put(target, "dir/child", new byte[] {1});

        assertThat(target.stat("dir")).isEmpty();
        assertThatThrownBy(() -> target.open("dir")).isInstanceOf(NoSuchObjectException.class);
    }

    // --- listing -----------------------------------------------------------------------------

    @Test
    void listOfEmptyTargetIsEmpty() throws IOException {
        assertThat(target.list("")).isEmpty();
        assertThat(target.list("some/prefix/")).isEmpty();
    }

    @Test
    void listReturnsCommittedObjectsByPrefixSortedByKey() throws IOException {
        put(target, "b/2", new byte[2]);
        put(target, "a/10", new byte[10]);
        put(target, "a/1", new byte[1]);
        put(target, "a/2/x", new byte[3]);
        put(target, "ab", new byte[4]);
        put(target, "c", new byte[5]);
        ObjectOutput pending = target.create("a/pending");
        pending.write(1);

        assertThat(target.list("")).containsExactly(
                new ObjectInfo("a/1", 1), new ObjectInfo("a/10", 10), new ObjectInfo("a/2/x", 3),
                new ObjectInfo("ab", 4), new ObjectInfo("b/2", 2), new ObjectInfo("c", 5));
        assertThat(target.list("a/")).extracting(ObjectInfo::key).containsExactly("a/1", "a/10", "a/2/x");
        assertThat(target.list("a")).extracting(ObjectInfo::key).containsExactly("a/1", "a/10", "a/2/x", "ab");
        assertThat(target.list("a/1")).extracting(ObjectInfo::key).containsExactly("a/1", "a/10");
        assertThat(target.list("a/2/")).extracting(ObjectInfo::key).containsExactly("a/2/x");
        assertThat(target.list("c")).extracting(ObjectInfo::key).containsExactly("c");
        assertThat(target.list("d")).isEmpty();
        assertThat(target.list("b/3")).isEmpty();
        pending.abort();
    }

    @Test
    void listSortsByKeyStringNotByPathSegments() throws IOException {
        // "a-b" sorts before "a/b" because '-' (0x2d) < '/' (0x2f); a tree walk sorted per directory
        // would put "a/b" first.
        put(target, "a/b", new byte[1]);
        put(target, "a-b", new byte[1]);
        put(target, "a.b", new byte[1]);
        put(target, "a0", new byte[1]);

        assertThat(target.list("")).extracting(ObjectInfo::key).containsExactly("a-b", "a.b", "a/b", "a0");
    }

    // --- delete ------------------------------------------------------------------------------

    @Test
    void deleteRemovesTheObject() throws IOException {
        put(target, "dir/k", new byte[] {1});
        put(target, "dir/other", new byte[] {2});

        target.delete("dir/k");

        assertNotVisible("dir/k");
        assertThat(target.list("")).extracting(ObjectInfo::key).containsExactly("dir/other");
    }

    @Test
    void deleteIsIdempotent() throws IOException {
        put(target, "k", new byte[] {1});

        target.delete("k");
        target.delete("k");
        target.delete("never/existed");

        assertNotVisible("k");
    }

    // --- abandoned writes --------------------------------------------------------------------

    @Test
    void abandonedWritesAreRemovedOnlyWhenStartedBeforeTheCutoff() throws IOException {
        put(target, "backups/1/part.bin", new byte[] {1, 2, 3});
        // A crashed process neither commits nor aborts: what it wrote stays behind. More than one
        // part of a multipart upload (at least 5 MiB on S3), so that a target that buffers a part
        // in memory has started to write to storage.
        ObjectOutput crashed = target.create("backups/2/part.bin");
        crashed.write(TestBytes.of(6 * 1024 * 1024 + 1, 5));
        crashed.flush();
        try {
            assertThat(target.removeAbandonedWrites(Instant.now().minus(Duration.ofHours(1))))
                    .as("writes started after the cutoff are in progress, not abandoned").isZero();

            // Targets may keep times in whole seconds: a cutoff two seconds ahead is surely later.
            int removed = target.removeAbandonedWrites(Instant.now().plusSeconds(2));

            if (supportsAbandonedWriteCleanup()) {
                assertThat(removed).as("a write neither committed nor aborted, started before the cutoff, is abandoned "
                        + "and must be removed (a target whose implementation is pending overrides "
                        + "supportsAbandonedWriteCleanup())").isGreaterThanOrEqualTo(1);
                assertThat(target.removeAbandonedWrites(Instant.now().plusSeconds(2))).as("nothing left").isZero();
            } else {
                assertThat(removed).as("a target without cleanup removes nothing").isZero();
            }
            assertThat(target.list("")).containsExactly(new ObjectInfo("backups/1/part.bin", 3));
            assertThat(read(target, "backups/1/part.bin")).containsExactly(1, 2, 3);
            assertNotVisible("backups/2/part.bin");
        } finally {
            crashed.abort();
        }
        put(target, "backups/2/part.bin", new byte[] {4});
        assertThat(read(target, "backups/2/part.bin")).containsExactly(4);
    }

    @Test
    void removingAbandonedWritesOfAnEmptyTargetRemovesNothing() throws IOException {
        assertThat(target.removeAbandonedWrites(Instant.now().plusSeconds(2))).isZero();
    }

    // --- keys --------------------------------------------------------------------------------

    /** Keys that {@link ObjectKeys} refuses; every operation must reject them. */
    static List<String> invalidKeys() {
        return List.of("../x", "/abs", "a//b", "a/./b", "", "a/", "a/../b", "a b", ".", "..");
    }

    @ParameterizedTest
    @MethodSource("invalidKeys")
    void invalidKeysAreRejectedByEveryOperation(String key) throws IOException {
        assertThatThrownBy(() -> target.create(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> target.open(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> target.stat(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> target.delete(key)).isInstanceOf(IllegalArgumentException.class);
        assertThat(target.list("")).isEmpty();
    }

    @Test
    void invalidPrefixesAreRejected() {
        assertThatThrownBy(() -> target.list("../")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> target.list("/abs")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> target.list("a//")).isInstanceOf(IllegalArgumentException.class);
    }

    // --- description -------------------------------------------------------------------------

    @Test
    void describeIsNotBlank() {
        assertThat(target.describe()).isNotBlank();
    }

    @Test
    void capabilitiesAreDeclared() {
        assertThat(target.capabilities()).isNotNull();
    }

    private void assertNotVisible(String key) throws IOException {
        assertThat(target.stat(key)).isEmpty();
        assertThat(target.list("")).extracting(ObjectInfo::key).doesNotContain(key);
        assertThatThrownBy(() -> target.open(key)).isInstanceOf(NoSuchObjectException.class);
    }
}
