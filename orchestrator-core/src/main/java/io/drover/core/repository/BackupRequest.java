package io.drover.core.repository;

import io.drover.core.crypto.Encryption;
import io.drover.core.model.BackupId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the writer needs to know about one backup.
 *
 * @param parent        the backup to build an incremental on; empty for a full backup
 * @param indexCacheDir where to keep a plaintext copy of the index for the next incremental
 */
public record BackupRequest(BackupId id, String job, List<String> services, String sourceName, String sourceType,
                            Instant startedAt, Encryption encryption, List<String> recipients, int compressionLevel,
                            int compressionWorkers, long partSize, Optional<ParentBackup> parent,
                            Optional<Path> indexCacheDir, String droverVersion) {
    public BackupRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(job, "job");
        services = List.copyOf(services);
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(sourceType, "sourceType");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(encryption, "encryption");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(indexCacheDir, "indexCacheDir");
        if (partSize < 1) {
            throw new IllegalArgumentException("partSize must be positive");
        }
    }
}
