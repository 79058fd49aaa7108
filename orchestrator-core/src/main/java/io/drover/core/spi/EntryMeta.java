package io.drover.core.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * Metadata of one entry.
 *
 * @param path        relative, {@code /}-separated path inside the backup (no leading {@code /},
 *                    no {@code .} or {@code ..} segments), e.g. {@code etc/app/app.conf}
 * @param type        directory, file or symlink
 * @param mode        permission bits (e.g. {@code 0644}), without the file-type bits
 * @param modified    last modification time
 * @param size        file size in bytes; {@code -1} for a file whose length is only known once
 *                    read (a command's output); {@code 0} for directories and symlinks
 * @param uid         numeric owner, {@code -1} if unknown
 * @param gid         numeric group, {@code -1} if unknown
 * @param owner       owner name, may be empty
 * @param group       group name, may be empty
 * @param linkTarget  symlink target as stored in the link (may be relative or absolute); empty otherwise
 * @param changeToken for {@link SourceCapability#FILE_LEVEL_INCREMENTAL}: a value that changes
 *                    whenever the content may have changed (e.g. inode, size, mtime, ctime); empty
 *                    if unknown, which forces a read
 */
public record EntryMeta(String path, EntryType type, int mode, Instant modified, long size, long uid, long gid,
                        String owner, String group, String linkTarget, String changeToken) {
    public EntryMeta {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(modified, "modified");
        owner = owner == null ? "" : owner;
        group = group == null ? "" : group;
        linkTarget = linkTarget == null ? "" : linkTarget;
        changeToken = changeToken == null ? "" : changeToken;
        if (path.isEmpty() || path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("entry path must be relative without a trailing slash: '" + path + "'");
        }
        for (int start = 0, end; start <= path.length(); start = end + 1) {
            end = path.indexOf('/', start);
            end = end < 0 ? path.length() : end;
            int length = end - start;
            if (length == 0 || (path.charAt(start) == '.' && (length == 1 || (length == 2 && path.charAt(start + 1) == '.')))) {
                throw new IllegalArgumentException("entry path must not have empty, '.' or '..' segments: '" + path + "'");
            }
        }
        if (size < -1 || (type != EntryType.FILE && size != 0)) {
            throw new IllegalArgumentException("invalid size " + size + " for " + type + " '" + path + "'");
        }
    }

    public static EntryMeta file(String path, int mode, Instant modified, long size) {
        return new EntryMeta(path, EntryType.FILE, mode, modified, size, -1, -1, "", "", "", "");
    }

    public static EntryMeta directory(String path, int mode, Instant modified) {
        return new EntryMeta(path, EntryType.DIRECTORY, mode, modified, 0, -1, -1, "", "", "", "");
    }

    public static EntryMeta symlink(String path, Instant modified, String target) {
        return new EntryMeta(path, EntryType.SYMLINK, 0777, modified, 0, -1, -1, "", "", target, "");
    }
}
