package io.drover.core.repository;

import io.drover.core.crypto.Encryption;
import io.drover.core.model.BackupId;
import java.util.Locale;
import java.util.Optional;

/**
 * Object keys of repository format v1. Every key is written once:
 * <pre>
 * drover-repository.json                       repository info (format, id, encryption)
 * backups/ID/part-000001.tar.zst[.age]         data: tar → zstd → age, independently readable
 * backups/ID/index.jsonl.zst[.age]             file index: one JSON line per entry
 * manifests/ID.json                            commit record, written last; a backup exists once it does
 * </pre>
 */
public final class RepositoryLayout {
    public static final String INFO_KEY = "drover-repository.json";
    public static final String MANIFESTS_PREFIX = "manifests/";
    public static final String BACKUPS_PREFIX = "backups/";
    private static final String MANIFEST_SUFFIX = ".json";

    private RepositoryLayout() {
    }

    public static String manifestKey(BackupId id) {
        return MANIFESTS_PREFIX + id.value() + MANIFEST_SUFFIX;
    }

    public static String partKey(BackupId id, int number, Encryption encryption) {
        return BACKUPS_PREFIX + id.value() + String.format(Locale.ROOT, "/part-%06d.tar.zst", number) + encryption.suffix();
    }

    public static String indexKey(BackupId id, Encryption encryption) {
        return BACKUPS_PREFIX + id.value() + "/index.jsonl.zst" + encryption.suffix();
    }

    public static String backupPrefix(BackupId id) {
        return BACKUPS_PREFIX + id.value() + "/";
    }

    /** The backup id of a manifest key, if it is one. */
    public static Optional<BackupId> backupIdOfManifestKey(String key) {
        if (!key.startsWith(MANIFESTS_PREFIX) || !key.endsWith(MANIFEST_SUFFIX)) {
            return Optional.empty();
        }
        String id = key.substring(MANIFESTS_PREFIX.length(), key.length() - MANIFEST_SUFFIX.length());
        return BackupId.isValid(id) ? Optional.of(new BackupId(id)) : Optional.empty();
    }
}
