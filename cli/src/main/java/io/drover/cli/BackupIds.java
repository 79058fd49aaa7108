package io.drover.cli;

import io.drover.core.catalog.RecoveryPointQuery;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.model.BackupId;
import java.util.List;
import java.util.Optional;

/** Parses a backup id argument: an id, or {@code latest} (of {@code --job} if given). */
final class BackupIds {
    private BackupIds() {
    }

    static BackupId resolve(CliContext ctx, String text, String job) {
        if ("latest".equals(text)) {
            var points = ctx.runtime().catalog().listRecoveryPoints(
                    new RecoveryPointQuery(Optional.ofNullable(job), Optional.empty(), Optional.empty(), 1));
            if (points.isEmpty()) {
                throw new DroverException(DroverErrors.BACKUP_NOT_FOUND, "there is no backup" + (job == null ? "" : " of job '" + job + "'"),
                        "run 'drover backup list' to see what exists", List.of(), null);
            }
            return points.get(0).id();
        }
        if (!BackupId.isValid(text)) {
            throw new DroverException(DroverErrors.BACKUP_NOT_FOUND, "'" + text + "' is not a backup id (e.g. 20261127T091500Z-3f9a1c2b)",
                    "copy an id from 'drover backup list', or use 'latest'", List.of(), null);
        }
        return new BackupId(text);
    }
}
