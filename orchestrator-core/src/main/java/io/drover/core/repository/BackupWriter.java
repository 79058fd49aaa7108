package io.drover.core.repository;

import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.model.BackupKind;
import io.drover.core.spi.EntryMeta;
import io.drover.core.spi.EntrySink;
import io.drover.core.spi.FileContent;
import io.drover.core.spi.Source;
import io.drover.core.spi.SourceReadContext;
import io.drover.core.spi.SourceSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes one backup: reads a source once, packs new and changed files into parts, streams the index,
 * and commits the manifest on every repository after every object is confirmed. On any failure
 * nothing is committed (objects already written stay as orphans for the sweeper).
 */
public final class BackupWriter implements EntrySink {
    /** Read buffer for file content; large reads keep syscalls and hashing calls few. */
    private static final int READ_BUFFER = 1 << 20;
    /** A stream of unknown length is stored in tar entries of at most this size (tar needs sizes up front). */
    static final int STREAM_CHUNK = 16 << 20;
    private static final int FILE_TYPE_REGULAR = 0100000;
    private static final int FILE_TYPE_DIRECTORY = 0040000;
    private static final int FILE_TYPE_SYMLINK = 0120000;

    private final BackupRequest request;
    private final List<Repository> repositories;
    private final BackupProgress progress;
    private final byte[] buffer = new byte[READ_BUFFER];
    private final MessageDigest sha256;
    private final PartFinisher finishedParts = new PartFinisher();
    private final List<String> warnings = new ArrayList<>();
    /** Warnings about the entry being written, attached to its index entry. */
    private final List<String> entryWarnings = new ArrayList<>();
    private IndexWriter index;
    private PartWriter part;
    private byte[] chunk;

    private long files;
    private long directories;
    private long symlinks;
    private long plainBytes;
    private long readBytes;
    private long newFiles;
    private long changedFiles;
    private long unchangedFiles;
    private long parentEntriesSeen;

    public BackupWriter(BackupRequest request, List<Repository> repositories, BackupProgress progress) {
        if (repositories.isEmpty()) {
            throw new IllegalArgumentException("a backup needs at least one repository");
        }
        this.request = request;
        this.repositories = List.copyOf(repositories);
        this.progress = progress;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The outcome of a committed backup. */
    public record Result(Manifest manifest, List<String> warnings) {
    }

    /** Reads {@code source} and commits the backup; returns its manifest. */
    public Result run(Source source, Clock clock) {
        try {
            index = new IndexWriter(new SealedObjectWriter(repositories, RepositoryLayout.indexKey(request.id(), request.encryption())),
                    request.encryption(), request.indexCacheDir().map(dir -> dir.resolve(request.id().value() + ".jsonl.zst")));
            SourceSnapshot snapshot;
            try {
                snapshot = source.read(new SourceReadContext(request.id(), request.job(), clock), this);
            } catch (IOException e) {
                throw new DroverException(DroverErrors.SOURCE_FAILED, "source '" + request.sourceName() + "' ("
                        + source.describe() + "): " + StorageErrors.describe(e), "fix the source and run the backup again", List.of(), e);
            }
            if (part != null) {
                finishedParts.finish(part); // the index is finished meanwhile
                part = null;
            }
            StoredObject indexObject = index.finish();
            List<StoredObject> objects = new ArrayList<>(finishedParts.awaitAll());
            objects.add(indexObject);
            Manifest manifest = manifest(snapshot, objects, clock);
            for (Repository repository : repositories) {
                repository.commit(manifest);
            }
            return new Result(manifest, List.copyOf(warnings));
        } catch (IOException e) {
            abort();
            throw new DroverException(DroverErrors.IO_FAILED, "backup " + request.id() + " failed: " + StorageErrors.describe(e),
                    "check the source and the targets, then run the backup again", List.of(), e);
        } catch (RuntimeException e) {
            abort();
            throw e;
        }
    }

    private void abort() {
        if (part != null) {
            part.abort();
        }
        finishedParts.abort();
        if (index != null) {
            index.abort();
        }
    }

    private Manifest manifest(SourceSnapshot snapshot, List<StoredObject> objects, Clock clock) {
        Optional<ParentBackup> parent = request.parent();
        long removed = parent.map(p -> p.index().size() - parentEntriesSeen).orElse(0L);
        long stored = objects.stream().mapToLong(StoredObject::size).sum();
        BackupStats stats = new BackupStats(files, directories, symlinks, plainBytes, readBytes, stored, newFiles,
                changedFiles, unchangedFiles, removed, warnings.size());
        return new Manifest(RepositoryInfo.FORMAT_V1, request.droverVersion(), request.id(), request.job(), request.services(),
                request.sourceName(), request.sourceType(), parent.isPresent() ? BackupKind.INCREMENTAL : BackupKind.FULL,
                parent.map(p -> p.manifest().id()), parent.map(p -> p.manifest().chainPosition() + 1).orElse(0),
                request.startedAt(), snapshot.capturedAt(), clock.instant(), request.encryption().id(), request.recipients(),
                "zstd", request.compressionLevel(), objects, stats, snapshot.position());
    }

    // ---- EntrySink -------------------------------------------------------------------------------------------

    @Override
    public void directory(EntryMeta meta) throws IOException {
        noteParent(meta.path());
        TarArchiveEntry entry = tarEntry(meta.path() + "/", TarConstants.LF_DIR, meta);
        entry.setMode(FILE_TYPE_DIRECTORY | meta.mode());
        writeMetadataEntry(entry);
        directories++;
        index.add(indexEntry(meta, IndexEntry.DIRECTORY, "", List.of()));
        progress.entryDone(meta.path(), false);
    }

    @Override
    public void symlink(EntryMeta meta) throws IOException {
        noteParent(meta.path());
        TarArchiveEntry entry = tarEntry(meta.path(), TarConstants.LF_SYMLINK, meta);
        entry.setMode(FILE_TYPE_SYMLINK | 0777);
        entry.setLinkName(meta.linkTarget());
        writeMetadataEntry(entry);
        symlinks++;
        index.add(indexEntry(meta, IndexEntry.SYMLINK, "", List.of()));
        progress.entryDone(meta.path(), false);
    }

    @Override
    public void file(EntryMeta meta, FileContent content) throws IOException {
        IndexEntry previous = noteParent(meta.path());
        entryWarnings.clear();
        if (previous != null && previous.isFile() && !meta.changeToken().isEmpty()
                && meta.changeToken().equals(previous.token()) && previous.size() == meta.size()) {
            files++;
            unchangedFiles++;
            plainBytes += previous.size();
            index.add(indexEntry(meta, IndexEntry.FILE, previous.sha256(), previous.segments()));
            progress.entryDone(meta.path(), true);
            return;
        }
        InputStream opened;
        try {
            opened = content.open();
        } catch (IOException e) {
            // Vanished or unreadable since it was listed: one file must not fail the whole backup.
            warn(meta.path(), "cannot be read, not backed up: " + StorageErrors.describe(e));
            return;
        }
        files++;
        if (previous != null) {
            changedFiles++;
        } else {
            newFiles++;
        }
        List<IndexEntry.Segment> segments = meta.size() >= 0 ? storeKnownSize(meta, opened, content)
                : storeStream(meta, opened, content);
        long size = segments.stream().mapToLong(IndexEntry.Segment::size).sum();
        plainBytes += size;
        String digest = HexFormat.of().formatHex(sha256.digest());
        IndexEntry entry = indexEntry(meta, IndexEntry.FILE, digest, segments);
        index.add(new IndexEntry(entry.path(), entry.type(), entry.mode(), entry.modified(), size, entry.uid(), entry.gid(),
                entry.owner(), entry.group(), entry.link(), entry.sha256(), entry.token(), entry.segments(),
                String.join("; ", entryWarnings)));
        entryWarnings.clear();
        progress.entryDone(meta.path(), false);
    }

    @Override
    public void warn(String path, String message) {
        warnings.add(path + ": " + message);
        entryWarnings.add(message);
    }

    // ---- writing content -------------------------------------------------------------------------------------

    private List<IndexEntry.Segment> storeKnownSize(EntryMeta meta, InputStream opened, FileContent content) throws IOException {
        PartWriter target = currentPart();
        TarArchiveEntry entry = tarEntry(meta.path(), TarConstants.LF_NORMAL, meta);
        entry.setMode(FILE_TYPE_REGULAR | meta.mode());
        entry.setSize(meta.size());
        target.putEntry(entry);
        sha256.reset();
        long remaining = meta.size();
        try (InputStream in = opened) {
            while (remaining > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) {
                    break;
                }
                sha256.update(buffer, 0, n);
                target.write(buffer, 0, n);
                remaining -= n;
                readBytes += n;
                progress.bytesRead(n);
            }
            if (remaining > 0) {
                // The file shrank while read; tar needs the declared size, so pad and record it.
                java.util.Arrays.fill(buffer, (byte) 0);
                warn(meta.path(), "file shrank by " + remaining + " bytes while it was read; the stored copy is padded with zeros");
                while (remaining > 0) {
                    int n = (int) Math.min(buffer.length, remaining);
                    sha256.update(buffer, 0, n);
                    target.write(buffer, 0, n);
                    remaining -= n;
                }
            } else if (in.read() >= 0) {
                warn(meta.path(), "file grew while it was read; stored its first " + meta.size() + " bytes");
            }
        }
        target.closeEntry();
        content.changedWhileReading().ifPresent(change -> warn(meta.path(), "changed while it was read: " + change));
        return List.of(new IndexEntry.Segment(request.id(), target.number(), meta.path(), meta.size()));
    }

    /** Content of unknown length: tar needs each entry's size first, so it is stored in bounded chunks. */
    private List<IndexEntry.Segment> storeStream(EntryMeta meta, InputStream opened, FileContent content) throws IOException {
        if (chunk == null) {
            chunk = new byte[STREAM_CHUNK];
        }
        sha256.reset();
        List<IndexEntry.Segment> segments = new ArrayList<>();
        try (InputStream in = opened) {
            int filled = in.readNBytes(chunk, 0, chunk.length);
            if (filled < chunk.length) {
                segments.add(writeChunk(meta, meta.path(), filled));
            } else {
                int number = 1;
                while (filled > 0) {
                    segments.add(writeChunk(meta, chunkName(meta.path(), number++), filled));
                    filled = in.readNBytes(chunk, 0, chunk.length);
                }
            }
        }
        content.changedWhileReading().ifPresent(change -> warn(meta.path(), "changed while it was read: " + change));
        return segments;
    }

    static String chunkName(String path, int number) {
        return path + String.format(Locale.ROOT, ".drover-chunk-%06d", number);
    }

    private IndexEntry.Segment writeChunk(EntryMeta meta, String name, int length) throws IOException {
        PartWriter target = currentPart();
        TarArchiveEntry entry = tarEntry(name, TarConstants.LF_NORMAL, meta);
        entry.setMode(FILE_TYPE_REGULAR | meta.mode());
        entry.setSize(length);
        target.putEntry(entry);
        sha256.update(chunk, 0, length);
        target.write(chunk, 0, length);
        target.closeEntry();
        readBytes += length;
        progress.bytesRead(length);
        return new IndexEntry.Segment(request.id(), target.number(), name, length);
    }

    private void writeMetadataEntry(TarArchiveEntry entry) throws IOException {
        PartWriter target = currentPart();
        target.putEntry(entry);
        target.closeEntry();
    }

    /** The part to write into; starts the next part once the current one reached the part size. */
    private PartWriter currentPart() throws IOException {
        if (part != null && part.tarBytes() >= request.partSize()) {
            finishedParts.finish(part);
            part = null;
        } else {
            finishedParts.checkFailure();
        }
        if (part == null) {
            int number = finishedParts.count() + 1;
            part = new PartWriter(number, new SealedObjectWriter(repositories,
                    RepositoryLayout.partKey(request.id(), number, request.encryption())),
                    request.encryption(), request.compressionLevel(), request.compressionWorkers());
        }
        return part;
    }

    private IndexEntry noteParent(String path) {
        if (request.parent().isEmpty()) {
            return null;
        }
        IndexEntry previous = request.parent().get().index().get(path);
        if (previous != null) {
            parentEntriesSeen++;
        }
        return previous;
    }

    private static TarArchiveEntry tarEntry(String name, byte linkFlag, EntryMeta meta) {
        TarArchiveEntry entry = new TarArchiveEntry(name, linkFlag, true);
        // Whole seconds, as in a ustar header: a fraction would make commons-compress write a PAX
        // header block before every entry (measured: a tenth of a full backup's main thread and
        // 1 KiB more tar per file). drover's own restore takes the exact time from the index; only
        // `tar -x` of a part without drover sees whole seconds.
        entry.setLastModifiedTime(FileTime.from(meta.modified().getEpochSecond(), java.util.concurrent.TimeUnit.SECONDS));
        if (meta.uid() >= 0) {
            entry.setUserId(meta.uid());
        }
        if (meta.gid() >= 0) {
            entry.setGroupId(meta.gid());
        }
        entry.setUserName(meta.owner());
        entry.setGroupName(meta.group());
        return entry;
    }

    private static IndexEntry indexEntry(EntryMeta meta, String type, String digest, List<IndexEntry.Segment> segments) {
        return new IndexEntry(meta.path(), type, meta.mode(), meta.modified(), Math.max(meta.size(), 0), meta.uid(), meta.gid(),
                meta.owner(), meta.group(), meta.linkTarget(), digest, meta.changeToken(), segments, "");
    }
}
