package io.drover.core.restore;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to restore.
 *
 * @param target   directory to restore into (created if missing)
 * @param subtree  restore only this path and what is below it
 * @param force    allow a non-empty target; existing files with restored names are replaced
 * @param maxBytes refuse a restore whose files add up to more than this
 * @param maxRatio refuse parts that decompress to more than this factor of their stored size
 * @param setOwner set owners and groups (only effective as root)
 */
public record RestoreOptions(Path target, Optional<String> subtree, boolean force, long maxBytes, long maxRatio,
                             boolean setOwner) {
    public static final long DEFAULT_MAX_RATIO = 1000;

    public RestoreOptions {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(subtree, "subtree");
        subtree = subtree.map(s -> s.replaceAll("^/+", "").replaceAll("/+$", "")).filter(s -> !s.isEmpty());
    }
}
