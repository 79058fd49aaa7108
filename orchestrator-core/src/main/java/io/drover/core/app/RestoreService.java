package io.drover.core.app;

import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.model.BackupId;
import io.drover.core.restore.RestoreOptions;
import io.drover.core.restore.RestoreResult;
import io.drover.core.restore.Restorer;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/** Restores a recovery point from the first target that holds it (or the one named). */
public final class RestoreService {
    private final DroverRuntime runtime;

    public RestoreService(DroverRuntime runtime) {
        this.runtime = runtime;
    }

    public RestoreResult restore(BackupId id, Optional<String> target, RestoreOptions options, LongConsumer progress, String actor) {
        String targetName = target.orElseGet(() -> locate(id));
        RestoreResult result = new Restorer(runtime.repository(targetName), runtime.decryption(), progress).restore(id, options);
        runtime.catalog().audit(actor, "restore", id.value(), "to " + options.target() + " from target " + targetName
                + (result.clean() ? "" : "; " + result.refused().size() + " refused, " + result.problems().size() + " problems"),
                runtime.clock().instant());
        return result;
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
