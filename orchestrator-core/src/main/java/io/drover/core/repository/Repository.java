package io.drover.core.repository;

import io.drover.core.crypto.Encryption;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.model.BackupId;
import io.drover.core.spi.ObjectAlreadyExistsException;
import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.ObjectOutput;
import io.drover.core.spi.StorageTarget;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.core.JacksonException;

/** A drover repository (format v1) on one storage target. */
public final class Repository {
    private final String name;
    private final StorageTarget target;
    private final RepositoryInfo info;

    private Repository(String name, StorageTarget target, RepositoryInfo info) {
        this.name = name;
        this.target = target;
        this.info = info;
    }

    /**
     * Creates a repository on an empty target.
     *
     * @throws DroverException {@code REPOSITORY_EXISTS} if the target already holds one
     */
    public static Repository initialize(String name, StorageTarget target, Encryption encryption, List<String> recipients,
                                        String droverVersion, Clock clock) {
        RepositoryInfo info = new RepositoryInfo(RepositoryInfo.FORMAT_V1, UUID.randomUUID().toString(), clock.instant(),
                "drover " + droverVersion, encryption.id(), recipients);
        try (ObjectOutput out = target.create(RepositoryLayout.INFO_KEY)) {
            out.write(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(info));
            out.commit();
        } catch (ObjectAlreadyExistsException e) {
            throw new DroverException(DroverErrors.REPOSITORY_EXISTS, "target '" + name + "' (" + target.describe()
                    + ") already holds a drover repository");
        } catch (IOException e) {
            throw StorageErrors.wrap(name, "creating the repository", e);
        }
        return new Repository(name, target, info);
    }

    /**
     * Opens the repository on {@code target}.
     *
     * @throws DroverException {@code REPOSITORY_NOT_INITIALIZED} with a hint to run {@code drover init}
     */
    public static Repository open(String name, StorageTarget target) {
        byte[] bytes;
        try (InputStream in = target.open(RepositoryLayout.INFO_KEY)) {
            bytes = in.readAllBytes();
        } catch (io.drover.core.spi.NoSuchObjectException e) {
            throw new DroverException(DroverErrors.REPOSITORY_NOT_INITIALIZED, "target '" + name + "' (" + target.describe()
                    + ") holds no drover repository", "run 'drover init' to create it", List.of(), null);
        } catch (IOException e) {
            throw StorageErrors.wrap(name, "reading the repository info", e);
        }
        RepositoryInfo info;
        try {
            info = Json.MAPPER.readValue(bytes, RepositoryInfo.class);
        } catch (JacksonException e) {
            throw new DroverException(DroverErrors.REPOSITORY_CORRUPT, "target '" + name + "': "
                    + RepositoryLayout.INFO_KEY + " is not valid: " + e.getOriginalMessage());
        }
        if (info.format() != RepositoryInfo.FORMAT_V1) {
            throw new DroverException(DroverErrors.REPOSITORY_FORMAT_UNSUPPORTED, "target '" + name + "' uses repository format "
                    + info.format() + "; this drover reads format " + RepositoryInfo.FORMAT_V1, "upgrade drover", List.of(), null);
        }
        return new Repository(name, target, info);
    }

    /** Whether {@code target} holds a repository. */
    public static boolean exists(String name, StorageTarget target) {
        try {
            return target.stat(RepositoryLayout.INFO_KEY).isPresent();
        } catch (IOException e) {
            throw StorageErrors.wrap(name, "looking for a repository", e);
        }
    }

    public String name() {
        return name;
    }

    public StorageTarget target() {
        return target;
    }

    public RepositoryInfo info() {
        return info;
    }

    /** Ids of all committed backups, oldest first. */
    public List<BackupId> backupIds() {
        List<BackupId> ids = new ArrayList<>();
        try {
            for (ObjectInfo object : target.list(RepositoryLayout.MANIFESTS_PREFIX)) {
                RepositoryLayout.backupIdOfManifestKey(object.key()).ifPresent(ids::add);
            }
        } catch (IOException e) {
            throw StorageErrors.wrap(name, "listing backups", e);
        }
        ids.sort(null);
        return ids;
    }

    /** Reads a committed backup's manifest. */
    public Manifest manifest(BackupId id) {
        String key = RepositoryLayout.manifestKey(id);
        byte[] bytes;
        try (InputStream in = target.open(key)) {
            bytes = in.readAllBytes();
        } catch (io.drover.core.spi.NoSuchObjectException e) {
            throw new DroverException(DroverErrors.BACKUP_NOT_FOUND, "backup " + id + " is not in target '" + name + "'");
        } catch (IOException e) {
            throw StorageErrors.wrap(name, "reading " + key, e);
        }
        try {
            return Json.MAPPER.readValue(bytes, Manifest.class);
        } catch (JacksonException e) {
            throw new DroverException(DroverErrors.REPOSITORY_CORRUPT, "target '" + name + "': manifest " + key
                    + " is damaged: " + e.getOriginalMessage());
        }
    }

    public Optional<Manifest> findManifest(BackupId id) {
        try {
            if (target.stat(RepositoryLayout.manifestKey(id)).isEmpty()) {
                return Optional.empty();
            }
        } catch (IOException e) {
            throw StorageErrors.wrap(name, "looking for backup " + id, e);
        }
        return Optional.of(manifest(id));
    }

    /** Writes the commit record; the backup exists from here on. Never overwrites. */
    void commit(Manifest manifest) {
        String key = RepositoryLayout.manifestKey(manifest.id());
        try (ObjectOutput out = target.create(key)) {
            out.write(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            out.commit();
        } catch (IOException e) {
            throw StorageErrors.wrap(name, "committing manifest " + key, e);
        }
    }

    /** Opens a stored object. */
    public InputStream open(String key) {
        try {
            return target.open(key);
        } catch (IOException e) {
            throw StorageErrors.wrap(name, "reading " + key, e);
        }
    }

    public Optional<ObjectInfo> stat(String key) {
        try {
            return target.stat(key);
        } catch (IOException e) {
            throw StorageErrors.wrap(name, "checking " + key, e);
        }
    }

    @Override
    public String toString() {
        return "repository '" + name + "' (" + target.describe() + ")";
    }
}
