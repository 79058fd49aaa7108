package io.drover.core.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.crypto.AgeEncryption;
import io.drover.core.crypto.AgeKeys;
import io.drover.core.crypto.Decryption;
import io.drover.core.crypto.Encryption;
import io.drover.core.error.DroverException;
import io.drover.core.model.BackupId;
import io.drover.core.model.VerificationLevel;
import io.drover.core.spi.EntryMeta;
import io.drover.core.spi.EntrySink;
import io.drover.core.spi.Source;
import io.drover.core.spi.SourceCapability;
import io.drover.core.spi.SourceReadContext;
import io.drover.core.spi.SourceSnapshot;
import io.drover.core.testing.InMemoryStorageTarget;
import io.drover.core.verify.Verifier;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RepositoryCopierTest {
    private final Clock clock = Clock.systemUTC();
    private final AgeKeys.GeneratedKey key = AgeKeys.generate();
    private final Encryption encryption = new AgeEncryption(List.of(key.recipient()));
    private final Decryption decryption = Decryption.withIdentities(List.of(key.identity()));
    private final Map<String, String> files = new LinkedHashMap<>();
    private InMemoryStorageTarget nearTarget;
    private InMemoryStorageTarget farTarget;
    private Repository near;
    private Repository far;

    private final Source source = new Source() {
        @Override
        public Set<SourceCapability> capabilities() {
            return Set.of(SourceCapability.FILE_LEVEL_INCREMENTAL);
        }

        @Override
        public String describe() {
            return "test";
        }

        @Override
        public SourceSnapshot read(SourceReadContext context, EntrySink sink) throws java.io.IOException {
            for (var file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                sink.file(new EntryMeta(file.getKey(), io.drover.core.spi.EntryType.FILE, 0644, Instant.EPOCH, content.length,
                        -1, -1, "", "", "", file.getValue()), () -> new ByteArrayInputStream(content));
            }
            return new SourceSnapshot(clock.instant(), Map.of());
        }
    };

    @BeforeEach
    void repositories() {
        nearTarget = new InMemoryStorageTarget();
        farTarget = new InMemoryStorageTarget();
        near = Repository.initialize("near", nearTarget, encryption, List.of(key.recipient()), "test", clock);
        far = Repository.initialize("far", farTarget, encryption, List.of(key.recipient()), "test", clock);
    }

    private Manifest backup(Optional<Manifest> parent) {
        Optional<ParentBackup> parentBackup = parent.map(m -> new ParentBackup(m, ObjectReader.readIndex(near, m, decryption)));
        BackupRequest request = new BackupRequest(BackupId.generate(clock.instant()), "job", List.of(), "src", "test",
                clock.instant(), encryption, List.of(), 3, 0, 1 << 20, parentBackup, Optional.empty(), "test");
        return new BackupWriter(request, List.of(near), BackupProgress.NONE).run(source, clock).manifest();
    }

    @Test
    void anIncrementalIsCopiedWithItsParentAndVerifiesAtTheDestination() throws Exception {
        files.put("a.txt", "first");
        files.put("b.txt", "unchanged");
        Manifest full = backup(Optional.empty());
        files.put("a.txt", "second");
        Manifest incremental = backup(Optional.of(full));

        var copied = new RepositoryCopier(near, far).copy(List.of(incremental.id()));

        assertThat(copied).extracting(RepositoryCopier.Copied::id).containsExactly(full.id(), incremental.id());
        assertThat(far.backupIds()).containsExactlyInAnyOrder(full.id(), incremental.id());
        assertThat(new Verifier(clock).verify(far, incremental.id(), VerificationLevel.RESTORE, decryption).findings()).isEmpty();
        assertThat(new RepositoryCopier(near, far).copy(List.of(incremental.id())))
                .allSatisfy(c -> assertThat(c.alreadyThere()).isTrue());
    }

    @Test
    void aDamagedSourceObjectIsRefusedAndNothingIsCommitted() throws Exception {
        files.put("a.txt", "content");
        Manifest manifest = backup(Optional.empty());
        nearTarget.corrupt(manifest.parts().get(0).key());

        assertThatThrownBy(() -> new RepositoryCopier(near, far).copy(List.of(manifest.id())))
                .isInstanceOf(DroverException.class)
                .hasMessageContaining(manifest.parts().get(0).key())
                .hasMessageContaining("nothing was committed");
        assertThat(far.backupIds()).isEmpty();
        assertThat(farTarget.pendingWrites()).isZero();
    }

    @Test
    void repositoriesWithDifferentEncryptionAreNotMixed() {
        Repository plain = Repository.initialize("plain", new InMemoryStorageTarget(), new io.drover.core.crypto.NoEncryption(),
                List.of(), "test", clock);
        assertThatThrownBy(() -> new RepositoryCopier(near, plain)).hasMessageContaining("same encryption");
    }
}
