package io.drover.core.app;

import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.model.BackupId;
import io.drover.core.repository.Manifest;
import io.drover.core.repository.Repository;
import io.drover.core.restore.RestoreOptions;
import io.drover.core.restore.RestoreResult;
import io.drover.core.restore.Restorer;
import io.drover.core.spi.LoadableSource;
import io.drover.core.spi.Source;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/** Restores a recovery point from the first target that holds it (or the one named). */
public final class RestoreService {
    /** Objects a restore reads at once: the index, then each part, one after the other. */
    public static final int CONCURRENT_STREAMS = 1;

    private final DroverRuntime runtime;

    public RestoreService(DroverRuntime runtime) {
        this.runtime = runtime;
    }

    public RestoreResult restore(BackupId id, Optional<String> target, RestoreOptions options, LongConsumer progress, String actor) {
        String targetName = target.orElseGet(() -> locate(id));
        runtime.target(targetName).prepareConcurrentUse(CONCURRENT_STREAMS);
        RestoreResult result = new Restorer(runtime.repository(targetName), runtime.decryption(), progress).restore(id, options);
        runtime.catalog().audit(actor, "restore", id.value(), "to " + options.target() + " from target " + targetName
                + (result.clean() ? "" : "; " + result.refused().size() + " refused, " + result.problems().size() + " problems"),
                runtime.clock().instant());
        return result;
    }

    /**
     * Restores a database backup and loads it into {@code database} through the source that wrote it,
     * or through {@code via}, another source of the same type (another server). Returns what was loaded.
     */
    public String loadIntoDatabase(BackupId id, Optional<String> target, String database, Optional<String> via,
                                   boolean replace, String actor) {
        String targetName = target.orElseGet(() -> locate(id));
        Repository repository = runtime.repository(targetName);
        Manifest manifest = repository.manifest(id);
        String sourceName = via.orElse(manifest.sourceName());
        var definition = runtime.config().sources().get(sourceName);
        if (definition == null || !definition.type().equals(manifest.sourceType())) {
            throw new DroverException(DroverErrors.CONFIG_INVALID, "backup " + id + " is a " + manifest.sourceType()
                    + " backup of source '" + manifest.sourceName() + "'; to load it, name a source of type "
                    + manifest.sourceType() + (definition == null ? " (there is no source '" + sourceName + "')"
                    : " ('" + sourceName + "' is " + definition.type() + ")"),
                    "pass --into SOURCE with a " + manifest.sourceType() + " source in the config", List.of(), null);
        }
        Source source = runtime.source(sourceName);
        try (source) {
            if (!(source instanceof LoadableSource loadable) || !loadable.canLoad(manifest.position())) {
                throw new DroverException(DroverErrors.CONFIG_INVALID, "backup " + id + " of source '" + manifest.sourceName()
                        + "' (" + manifest.sourceType() + ") cannot be loaded into a database", "restore its files with --to DIR"
                        + " (a PostgreSQL physical backup: --to DIR --wal-job JOB)", List.of(), null);
            }
            String loaded = new DatabaseRestores(runtime).loadInto(repository, id, loadable, database, replace);
            runtime.catalog().audit(actor, "restore", id.value(), "into database " + database + " via source " + sourceName
                    + " from target " + targetName + (replace ? " (replacing it)" : ""), runtime.clock().instant());
            return loaded;
        } catch (java.io.IOException e) {
            throw new DroverException(DroverErrors.SOURCE_FAILED, "closing source " + sourceName + ": " + e.getMessage(), e);
        }
    }

    /** The target to restore from: a copy the catalog knows, else the first target whose repository holds the backup. */
    public String locate(BackupId id) {
        var copies = runtime.catalog().copies(id);
        if (!copies.isEmpty()) {
            return copies.stream()
                    .filter(c -> c.verificationState() != io.drover.core.model.VerificationState.CORRUPT)
                    .map(c -> c.target())
                    .filter(runtime.config().targets()::containsKey)
                    .findFirst()
                    .orElse(copies.get(0).target());
        }
        for (String name : runtime.config().targets().keySet()) {
            if (runtime.repository(name).findManifest(id).isPresent()) {
                return name;
            }
        }
        throw new DroverException(DroverErrors.BACKUP_NOT_FOUND, "backup " + id + " is in no configured target",
                "list backups with 'drover backup list', or run 'drover catalog rebuild'", List.of(), null);
    }
}
