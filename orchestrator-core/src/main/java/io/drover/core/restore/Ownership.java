package io.drover.core.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Restores owners and groups, only when running as root (nobody else may give files away), and
 * only when they differ from what a new file gets anyway: two system calls saved per file.
 */
final class Ownership {
    private final boolean enabled;
    private final int processUid;
    private final int processGid;

    private Ownership(boolean enabled, int processUid, int processGid) {
        this.enabled = enabled;
        this.processUid = processUid;
        this.processGid = processGid;
    }

    static Ownership of(boolean wanted) {
        try {
            Path self = Path.of("/proc/self");
            int uid = ((Number) Files.getAttribute(self, "unix:uid")).intValue();
            int gid = ((Number) Files.getAttribute(self, "unix:gid")).intValue();
            return new Ownership(wanted && uid == 0, uid, gid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return new Ownership(false, -1, -1);
        }
    }

    /** Sets owner and group; before the mode, because changing the owner clears setuid and setgid bits. */
    void apply(Path path, long uid, long gid) throws IOException {
        if (!enabled) {
            return;
        }
        if (uid >= 0 && uid != processUid) {
            Files.setAttribute(path, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
        }
        if (gid >= 0 && gid != processGid) {
            Files.setAttribute(path, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
        }
    }
}
