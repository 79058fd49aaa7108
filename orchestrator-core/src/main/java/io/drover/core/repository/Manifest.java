package io.drover.core.repository;

import io.drover.core.model.BackupId;
import io.drover.core.model.BackupKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The commit record of a backup ({@code manifests/ID.json}). Written last and atomically: a backup
 * exists once its manifest does. Plaintext, so it holds no file names and no secrets: those live in
 * the encrypted index, which the manifest pins by hash.
 *
 * @param chainPosition 0 for a full backup, n for the n-th incremental after it
 * @param objects       every stored object of this backup (parts and index) with size and SHA-256
 * @param position      the source's position (LSN, binlog position), source-specific
 */
public record Manifest(int format, String droverVersion, BackupId id, String job, List<String> services,
                       String sourceName, String sourceType, BackupKind kind, Optional<BackupId> parent,
                       int chainPosition, Instant startedAt, Instant capturedAt, Instant finishedAt,
                       String encryption, List<String> recipients, String compression, int compressionLevel,
                       List<StoredObject> objects, BackupStats stats, Map<String, String> position) {
    public Manifest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(capturedAt, "capturedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(encryption, "encryption");
        Objects.requireNonNull(stats, "stats");
        services = services == null ? List.of() : List.copyOf(services);
        parent = parent == null ? Optional.empty() : parent;
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
        objects = List.copyOf(objects);
        position = position == null ? Map.of() : Map.copyOf(position);
    }

    public List<StoredObject> parts() {
        return objects.stream().filter(o -> o.role().equals(StoredObject.PART)).toList();
    }

    public StoredObject index() {
        return objects.stream().filter(o -> o.role().equals(StoredObject.INDEX)).findFirst()
                .orElseThrow(() -> new IllegalStateException("manifest of " + id + " names no index"));
    }

    public Optional<StoredObject> part(int number) {
        return parts().stream().filter(o -> o.number() == number).findFirst();
    }

    public long storedBytes() {
        return objects.stream().mapToLong(StoredObject::size).sum();
    }
}
