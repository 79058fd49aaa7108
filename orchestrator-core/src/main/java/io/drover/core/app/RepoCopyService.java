package io.drover.core.app;

import io.drover.core.model.BackupId;
import io.drover.core.repository.Manifest;
import io.drover.core.repository.Repository;
import io.drover.core.repository.RepositoryCopier;
import java.util.List;
import java.util.Optional;

/** {@code drover repo copy}: copies recovery points between targets with verification and records the new copies. */
public final class RepoCopyService {
    private final DroverRuntime runtime;

    public RepoCopyService(DroverRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * Copies {@code ids} (or, when empty, every recovery point of {@code job}, or of all jobs) from
     * one target to another, parents included.
     */
    public List<RepositoryCopier.Copied> copy(String fromTarget, String toTarget, Optional<String> job, List<BackupId> ids,
                                              String actor) {
        Repository from = runtime.repository(fromTarget);
        Repository to = runtime.repository(toTarget);
        List<BackupId> wanted = ids.isEmpty()
                ? from.backupIds().stream().filter(id -> job.isEmpty() || from.manifest(id).job().equals(job.get())).toList()
                : ids;
        List<RepositoryCopier.Copied> copied = new RepositoryCopier(from, to).copy(wanted);
        for (RepositoryCopier.Copied c : copied) {
            if (!c.alreadyThere()) {
                Manifest manifest = to.manifest(c.id());
                CatalogSync.record(runtime.catalog(), manifest, List.of(to), runtime.clock().instant());
                runtime.catalog().audit(actor, "repo-copy", c.id().value(), "from " + fromTarget + " to " + toTarget
                        + ", " + c.objects() + " objects, " + c.bytes() + " bytes", runtime.clock().instant());
            }
        }
        return copied;
    }
}
