package io.drover.connector.ssh;

import com.jcraft.jsch.SftpATTRS;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one SFTP {@code lstat} (or a directory listing) says about a remote path. SFTP (protocol
 * version 3, as OpenSSH speaks it) has no inode, device or ctime and gives modification times in
 * whole seconds.
 */
record RemoteStat(Kind kind, int mode, long size, long mtimeSeconds, long uid, long gid) {

    /** File types from the {@code S_IFMT} bits. */
    enum Kind {
        DIRECTORY("directory"), FILE("file"), SYMLINK("symlink"), SOCKET("socket"), FIFO("FIFO"),
        CHARACTER_DEVICE("character device"), BLOCK_DEVICE("block device"), UNKNOWN("file of unknown type");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        String description() {
            return description;
        }

        static Kind ofMode(int mode) {
            return switch (mode & 0170000) {
                case 0040000 -> DIRECTORY;
                case 0100000 -> FILE;
                case 0120000 -> SYMLINK;
                case 0140000 -> SOCKET;
                case 0010000 -> FIFO;
                case 0020000 -> CHARACTER_DEVICE;
                case 0060000 -> BLOCK_DEVICE;
                default -> UNKNOWN;
            };
        }
    }

    static RemoteStat of(SftpATTRS attrs) {
        int flags = attrs.getFlags();
        int permissions = (flags & SftpATTRS.SSH_FILEXFER_ATTR_PERMISSIONS) != 0 ? attrs.getPermissions() : 0;
        boolean hasIds = (flags & SftpATTRS.SSH_FILEXFER_ATTR_UIDGID) != 0;
        long mtime = (flags & SftpATTRS.SSH_FILEXFER_ATTR_ACMODTIME) != 0 ? Integer.toUnsignedLong(attrs.getMTime()) : 0;
        long size = (flags & SftpATTRS.SSH_FILEXFER_ATTR_SIZE) != 0 ? attrs.getSize() : 0;
        return new RemoteStat(Kind.ofMode(permissions), permissions & 07777, size, mtime,
                hasIds ? attrs.getUId() : -1, hasIds ? attrs.getGId() : -1);
    }

    Instant modified() {
        return Instant.ofEpochSecond(mtimeSeconds);
    }

    /**
     * Changes whenever the content may have changed, as far as SFTP can tell: size, mtime (whole
     * seconds), owner and mode. SFTP shows no inode or ctime, so a file rewritten within the same
     * second to the same size keeps its token; such a change is only caught by a full backup.
     */
    String changeToken() {
        return size + ":" + mtimeSeconds + ":" + uid + "/" + gid + "/" + Integer.toOctalString(mode);
    }

    /** How {@code later} differs from this stat in ways that may mean different content, or empty. */
    Optional<String> changesTo(RemoteStat later) {
        List<String> changes = new ArrayList<>();
        if (kind != later.kind) {
            changes.add("file was replaced by a " + later.kind.description());
        }
        if (size != later.size) {
            changes.add("size changed from " + size + " to " + later.size + " bytes");
        }
        if (mtimeSeconds != later.mtimeSeconds) {
            changes.add("modification time changed from " + modified() + " to " + later.modified());
        }
        return changes.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", changes));
    }
}
