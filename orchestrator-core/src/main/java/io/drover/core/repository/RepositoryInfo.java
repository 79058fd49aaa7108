package io.drover.core.repository;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Contents of {@code drover-repository.json}: what a reader must know before reading anything else.
 *
 * @param format     repository format version; this drover reads {@link #FORMAT_V1}
 * @param id         random id of this repository, recorded in the catalog
 * @param encryption {@code age} or {@code none}
 * @param recipients public keys the repository was created for (information only)
 */
public record RepositoryInfo(int format, String id, Instant createdAt, String createdBy, String encryption,
                             List<String> recipients) {
    public static final int FORMAT_V1 = 1;

    public RepositoryInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(encryption, "encryption");
        createdBy = createdBy == null ? "" : createdBy;
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
    }
}
