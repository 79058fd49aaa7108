package io.drover.core.repository;

import io.drover.core.model.BackupId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One entry of a backup's index: the complete final state of the tree, including files taken over
 * unchanged from parent backups (their {@link Segment}s point into the parent's parts).
 *
 * @param type     {@code FILE}, {@code DIRECTORY}, {@code SYMLINK}; readers also meet
 *                 {@code HARDLINK} and others in foreign or crafted data and must refuse what they
 *                 cannot restore safely
 * @param sha256   hex SHA-256 of a file's plaintext, empty for other types
 * @param link     symlink or hardlink target, empty otherwise
 * @param token    the source's change token, used to skip unchanged files in the next incremental
 * @param segments where a file's bytes are: usually one tar entry; a stream of unknown length is
 *                 stored as several numbered tar entries
 * @param warning  what went wrong while this entry was read (e.g. it changed meanwhile), empty if nothing
 */
public record IndexEntry(String path, String type, int mode, Instant modified, long size, long uid, long gid,
                         String owner, String group, String link, String sha256, String token,
                         List<Segment> segments, String warning) {
    public static final String FILE = "FILE";
    public static final String DIRECTORY = "DIRECTORY";
    public static final String SYMLINK = "SYMLINK";
    public static final String HARDLINK = "HARDLINK";

    public IndexEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(modified, "modified");
        owner = owner == null ? "" : owner;
        group = group == null ? "" : group;
        link = link == null ? "" : link;
        sha256 = sha256 == null ? "" : sha256;
        token = token == null ? "" : token;
        segments = segments == null ? List.of() : List.copyOf(segments);
        warning = warning == null ? "" : warning;
    }

    /** An entry without a warning. */
    public IndexEntry(String path, String type, int mode, Instant modified, long size, long uid, long gid, String owner,
                      String group, String link, String sha256, String token, List<Segment> segments) {
        this(path, type, mode, modified, size, uid, gid, owner, group, link, sha256, token, segments, "");
    }

    /**
     * A run of a file's bytes stored as one tar entry.
     *
     * @param backup  the backup whose part holds it
     * @param part    part number in that backup
     * @param tarName the tar entry's name
     * @param size    bytes in this segment
     */
    public record Segment(BackupId backup, int part, String tarName, long size) {
        public Segment {
            Objects.requireNonNull(backup, "backup");
            Objects.requireNonNull(tarName, "tarName");
        }
    }

    public boolean isFile() {
        return FILE.equals(type);
    }
}
