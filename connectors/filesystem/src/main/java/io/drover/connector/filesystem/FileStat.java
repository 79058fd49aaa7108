package io.drover.connector.filesystem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** What one {@code lstat(2)} says about a path: the fields drover records and compares. */
record FileStat(Kind kind, int mode, long inode, long device, long size, FileTime modified, FileTime changed,
                int uid, int gid) {

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

    private static final String ATTRIBUTES = "unix:mode,ino,dev,size,lastModifiedTime,ctime,uid,gid";

    /** Reads the attributes of {@code path} itself, never of a symlink's target. */
    static FileStat of(Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        int rawMode = (Integer) a.get("mode");
        return new FileStat(Kind.ofMode(rawMode), rawMode & 07777, (Long) a.get("ino"), (Long) a.get("dev"),
                (Long) a.get("size"), (FileTime) a.get("lastModifiedTime"), (FileTime) a.get("ctime"),
                (Integer) a.get("uid"), (Integer) a.get("gid"));
    }

    /** Changes whenever the content may have changed: a new inode, size, mtime or ctime. */
    String changeToken() {
        return inode + ":" + size + ":" + modified.to(TimeUnit.NANOSECONDS) + ":" + changed.to(TimeUnit.NANOSECONDS);
    }

    /** How {@code later} differs from this stat in ways that may mean different content, or empty. */
    Optional<String> changesTo(FileStat later) {
        List<String> changes = new ArrayList<>();
        if (inode != later.inode || device != later.device) {
            changes.add("file was replaced (inode " + inode + " became " + later.inode + ")");
        }
        if (size != later.size) {
            changes.add("size changed from " + size + " to " + later.size + " bytes");
        }
        if (!modified.equals(later.modified)) {
            changes.add("modification time changed from " + modified + " to " + later.modified);
        }
        if (!changed.equals(later.changed)) {
            changes.add("status change time changed from " + changed + " to " + later.changed);
        }
        return changes.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", changes));
    }
}
