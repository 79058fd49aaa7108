package io.drover.core.spi.action;

import java.util.Objects;
import java.util.Optional;

/**
 * Which backup of a job to restore: the newest one that satisfies the filters.
 *
 * @param job          the job under {@code jobs:}
 * @param target       the target whose copy to use; empty: the first target that holds a usable copy
 *                     and can be reached, in the order of the job's {@code targets:}
 * @param verifiedOnly only copies that passed at least a quick verification; corrupt copies are never chosen
 */
public record BackupSelector(String job, Optional<String> target, boolean verifiedOnly) {
    public BackupSelector {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(target, "target");
    }
}
