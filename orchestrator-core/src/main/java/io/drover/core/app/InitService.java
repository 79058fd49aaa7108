package io.drover.core.app;

import io.drover.core.DroverVersion;
import io.drover.core.repository.Repository;
import java.util.ArrayList;
import java.util.List;

/** Creates repositories on the configured targets; already initialized ones are left alone. */
public final class InitService {
    private final DroverRuntime runtime;

    public InitService(DroverRuntime runtime) {
        this.runtime = runtime;
    }

    /** One line per target: created or already there. */
    public record TargetInit(String target, String description, boolean created, String repositoryId) {
    }

    public List<TargetInit> initialize(List<String> targetNames, String actor) {
        List<TargetInit> results = new ArrayList<>();
        for (String name : targetNames) {
            var target = runtime.target(name);
            if (Repository.exists(name, target)) {
                Repository existing = runtime.repository(name);
                results.add(new TargetInit(name, target.describe(), false, existing.info().id()));
                continue;
            }
            Repository created = Repository.initialize(name, target, runtime.encryption(), runtime.config().encryption().recipients(),
                    DroverVersion.get(), runtime.clock());
            runtime.catalog().audit(actor, "init", name, "repository " + created.info().id() + " on " + target.describe(),
                    runtime.clock().instant());
            results.add(new TargetInit(name, target.describe(), true, created.info().id()));
        }
        return results;
    }
}
