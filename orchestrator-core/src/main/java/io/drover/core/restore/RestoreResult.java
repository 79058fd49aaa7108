package io.drover.core.restore;

import java.util.List;

/**
 * What a restore did.
 *
 * @param refused  entries not restored because they were unsafe ({@code path: reason})
 * @param problems integrity problems (hash mismatches, missing data)
 */
public record RestoreResult(long files, long directories, long symlinks, long bytes, List<String> refused,
                            List<String> problems) {
    public RestoreResult {
        refused = List.copyOf(refused);
        problems = List.copyOf(problems);
    }

    public boolean clean() {
        return refused.isEmpty() && problems.isEmpty();
    }
}
