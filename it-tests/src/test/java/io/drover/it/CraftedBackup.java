package io.drover.it;

import com.github.luben.zstd.ZstdOutputStream;
import io.drover.core.model.BackupId;
import io.drover.core.model.BackupKind;
import io.drover.core.repository.BackupStats;
import io.drover.core.repository.IndexEntry;
import io.drover.core.repository.Json;
import io.drover.core.repository.Manifest;
import io.drover.core.repository.StoredObject;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A backup written by hand into an unencrypted repository: a tar part and an index with whatever
 * entries a test wants (malicious ones included), and a manifest with the correct sizes and
 * hashes, so that the repository's integrity checks pass and only the restore's own rules stand
 * between the archive and the file system.
 */
public final class CraftedBackup {
    private static final int MODE_FILE = 0100644;

    private final DroverWorkspace workspace;
    private final Manifest template;
    private final BackupId id = BackupId.generate(Instant.now());
    private final List<IndexEntry> index = new ArrayList<>();
    private final List<TarItem> tar = new ArrayList<>();

    private record TarItem(TarArchiveEntry entry, byte[] content, long zeros) {
    }

    /**
     * @param template a real backup of the same repository; its manifest lends format, version,
     *                 job and encryption ("none") to the crafted one
     */
    public CraftedBackup(DroverWorkspace workspace, BackupId template) {
        if (workspace.encrypted()) {
            throw new IllegalArgumentException("crafted backups need an unencrypted workspace");
        }
        this.workspace = workspace;
        this.template = workspace.manifest(template);
    }

    public BackupId id() {
        return id;
    }

    /** A regular file, in the tar and in the index, consistent with each other. */
    public CraftedBackup file(String path, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(path, true);
        entry.setMode(MODE_FILE);
        entry.setSize(bytes.length);
        tar.add(new TarItem(entry, bytes, 0));
        index.add(fileEntry(path, bytes.length, sha256(bytes), path));
        return this;
    }

    public CraftedBackup directory(String path) {
        TarArchiveEntry entry = new TarArchiveEntry(path + "/", TarConstants.LF_DIR, true);
        entry.setMode(040755);
        tar.add(new TarItem(entry, new byte[0], 0));
        index.add(entry(path, IndexEntry.DIRECTORY, 0755, 0, "", "", List.of()));
        return this;
    }

    public CraftedBackup symlink(String path, String target) {
        TarArchiveEntry entry = new TarArchiveEntry(path, TarConstants.LF_SYMLINK, true);
        entry.setLinkName(target);
        tar.add(new TarItem(entry, new byte[0], 0));
        index.add(entry(path, IndexEntry.SYMLINK, 0777, 0, target, "", List.of()));
        return this;
    }

    public CraftedBackup hardlink(String path, String target) {
        TarArchiveEntry entry = new TarArchiveEntry(path, TarConstants.LF_LINK, true);
        entry.setLinkName(target);
        tar.add(new TarItem(entry, new byte[0], 0));
        index.add(entry(path, IndexEntry.HARDLINK, 0644, 0, target, "", List.of()));
        return this;
    }

    /** A character device node (like /dev/null: 1, 3). */
    public CraftedBackup characterDevice(String path) {
        TarArchiveEntry entry = new TarArchiveEntry(path, TarConstants.LF_CHR, true);
        entry.setDevMajor(1);
        entry.setDevMinor(3);
        entry.setMode(020666);
        tar.add(new TarItem(entry, new byte[0], 0));
        index.add(entry(path, "CHARACTER_DEVICE", 0666, 0, "", "", List.of()));
        return this;
    }

    /** The index says FILE with {@code claimedContent}; the tar entry of that name is a symlink to {@code target}. */
    public CraftedBackup symlinkDisguisedAsFile(String path, String target, String claimedContent) {
        byte[] bytes = claimedContent.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(path, TarConstants.LF_SYMLINK, true);
        entry.setLinkName(target);
        tar.add(new TarItem(entry, new byte[0], 0));
        index.add(fileEntry(path, bytes.length, sha256(bytes), path));
        return this;
    }

    /** A tar entry of {@code actualZeros} zero bytes that the index claims holds {@code claimedSize} zero bytes. */
    public CraftedBackup zerosWithFalseSize(String path, long actualZeros, int claimedSize) {
        TarArchiveEntry entry = new TarArchiveEntry(path, true);
        entry.setMode(MODE_FILE);
        entry.setSize(actualZeros);
        tar.add(new TarItem(entry, null, actualZeros));
        index.add(fileEntry(path, claimedSize, sha256(new byte[claimedSize]), path));
        return this;
    }

    private IndexEntry fileEntry(String path, long size, String sha256, String tarName) {
        return entry(path, IndexEntry.FILE, 0644, size, "", sha256, List.of(new IndexEntry.Segment(id, 1, tarName, size)));
    }

    private static IndexEntry entry(String path, String type, int mode, long size, String link, String sha256,
                                    List<IndexEntry.Segment> segments) {
        return new IndexEntry(path, type, mode, Instant.parse("2024-05-06T07:08:09Z"), size, -1, -1, "", "", link, sha256,
                "", segments);
    }

    /** Writes part, index and manifest at the keys the layout expects; returns the backup's id. */
    public BackupId commit() throws IOException {
        String partKey = "backups/" + id.value() + "/part-000001.tar.zst";
        String indexKey = "backups/" + id.value() + "/index.jsonl.zst";
        Path partFile = workspace.repository().resolve(partKey);
        Files.createDirectories(partFile.getParent());
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(partFile), 1 << 20);
             ZstdOutputStream zstd = new ZstdOutputStream(file, 3);
             TarArchiveOutputStream out = new TarArchiveOutputStream(zstd, StandardCharsets.UTF_8.name())) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            out.setAddPaxHeadersForNonAsciiNames(true);
            byte[] zeros = new byte[1 << 20];
            for (TarItem item : tar) {
                out.putArchiveEntry(item.entry());
                if (item.content() != null) {
                    out.write(item.content());
                } else {
                    for (long left = item.zeros(); left > 0; left -= zeros.length) {
                        out.write(zeros, 0, (int) Math.min(zeros.length, left));
                    }
                }
                out.closeArchiveEntry();
            }
        }
        Path indexFile = workspace.repository().resolve(indexKey);
        try (OutputStream out = new ZstdOutputStream(Files.newOutputStream(indexFile), 3)) {
            for (IndexEntry entry : index) {
                out.write((Json.MAPPER.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        List<StoredObject> objects = List.of(stored(partKey, StoredObject.PART, 1, partFile),
                stored(indexKey, StoredObject.INDEX, 0, indexFile));
        long files = index.stream().filter(IndexEntry::isFile).count();
        BackupStats stats = new BackupStats(files, 0, 0, 0, 0, objects.stream().mapToLong(StoredObject::size).sum(),
                files, 0, 0, 0, 0);
        Instant now = Instant.now();
        Manifest manifest = new Manifest(template.format(), template.droverVersion(), id, template.job(), template.services(),
                template.sourceName(), template.sourceType(), BackupKind.FULL, Optional.empty(), 0, now, now, now,
                template.encryption(), template.recipients(), template.compression(), template.compressionLevel(), objects,
                stats, Map.of());
        Files.writeString(workspace.manifestFile(id), Json.MAPPER.writeValueAsString(manifest));
        return id;
    }

    private static StoredObject stored(String key, String role, int number, Path file) throws IOException {
        MessageDigest digest = newDigest();
        try (var in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return new StoredObject(key, role, number, Files.size(file), HexFormat.of().formatHex(digest.digest()));
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
