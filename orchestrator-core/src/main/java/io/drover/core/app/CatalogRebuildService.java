package io.drover.core.app;

import io.drover.core.catalog.Catalog;
import io.drover.core.model.BackupId;
import io.drover.core.repository.Manifest;
import io.drover.core.repository.Repository;
import java.util.ArrayList;
import java.util.List;

/** Recreates the catalog's recovery points from the manifests in every configured repository. */
public final class CatalogRebuildService {
    private final DroverRuntime runtime;

    public CatalogRebuildService(DroverRuntime runtime) {
        this.runtime = runtime;
    }

    /** Per target: how many manifests were found, and problems reading any. */
    public record TargetRebuild(String target, int recoveryPoints, List<String> problems) {
    }

    public List<TargetRebuild> rebuild(String actor) {
        Catalog catalog = runtime.catalog();
        List<TargetRebuild> results = new ArrayList<>();
        for (String name : runtime.config().targets().keySet()) {
            Repository repository = runtime.repository(name);
            catalog.deleteCopiesOfTarget(name);
            List<String> problems = new ArrayList<>();
            int count = 0;
            for (BackupId id : repository.backupIds()) {
                try {
                    Manifest manifest = repository.manifest(id);
                    CatalogSync.record(catalog, manifest, List.of(repository), manifest.finishedAt());
                    count++;
                } catch (io.drover.core.error.DroverException e) {
                    problems.add(e.getMessage());
                }
            }
            results.add(new TargetRebuild(name, count, problems));
        }
        catalog.deleteRecoveryPointsWithoutCopies();
        catalog.audit(actor, "catalog-rebuild", "catalog", results.stream().mapToInt(TargetRebuild::recoveryPoints).sum()
                + " recovery points", runtime.clock().instant());
        return results;
    }
}
