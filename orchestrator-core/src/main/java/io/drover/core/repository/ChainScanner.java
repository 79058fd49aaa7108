package io.drover.core.repository;

import io.drover.core.crypto.Decryption;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.model.BackupId;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the file contents a backup's final index needs from the parts of its incremental chain,
 * each part once, in order; checks every stored object's hash and every file's plaintext hash.
 * Restore writes what it hands out; restore-verification only hashes it. One logic for both.
 */
public final class ChainScanner {
    private static final long RATIO_FLOOR_BYTES = 64L << 20;

    /** Receives file content. */
    public interface Handler {
        /** Content of one segment of {@code entry}; {@code first} is true for its first segment. Must consume {@code data}. */
        void segment(IndexEntry entry, boolean first, InputStream data) throws IOException;

        /** All segments of {@code entry} were handed out; {@code intact} tells whether the hash matched. */
        void fileDone(IndexEntry entry, boolean intact) throws IOException;

        /** Reading {@code entry} broke off (damaged part); what was handed out of it is incomplete. */
        default void fileFailed(IndexEntry entry) throws IOException {
        }
    }

    private final Repository repository;
    private final Decryption decryption;
    private final long maxRatio;
    private final Map<BackupId, Manifest> manifests = new HashMap<>();
    private final List<String> findings = new ArrayList<>();
    private long storedBytes;
    private long plainBytes;

    /**
     * @param maxRatio refuse parts that expand more than this factor (decompression bombs)
     */
    public ChainScanner(Repository repository, Decryption decryption, long maxRatio) {
        this.repository = repository;
        this.decryption = decryption;
        this.maxRatio = maxRatio;
    }

    public List<String> findings() {
        return List.copyOf(findings);
    }

    public long storedBytesRead() {
        return storedBytes;
    }

    public long plainBytesRead() {
        return plainBytes;
    }

    private record PartRef(BackupId backup, int part) implements Comparable<PartRef> {
        @Override
        public int compareTo(PartRef o) {
            int c = backup.compareTo(o.backup);
            return c != 0 ? c : Integer.compare(part, o.part);
        }
    }

    private record Wanted(IndexEntry entry, int segmentIndex) {
    }

    /** Hands every segment of {@code files} to {@code handler}; problems end up in {@link #findings()}. */
    public void scan(Collection<IndexEntry> files, Handler handler) {
        Map<PartRef, Map<String, Wanted>> byPart = new TreeMap<>();
        for (IndexEntry file : files) {
            List<IndexEntry.Segment> segments = file.segments();
            if (segments.isEmpty()) {
                findings.add(file.path() + ": the index names no stored data for this file");
                continue;
            }
            for (int i = 0; i < segments.size(); i++) {
                IndexEntry.Segment segment = segments.get(i);
                byPart.computeIfAbsent(new PartRef(segment.backup(), segment.part()), k -> new HashMap<>())
                        .put(segment.tarName(), new Wanted(file, i));
            }
        }
        Map<String, MessageDigest> digests = new HashMap<>();
        for (Map.Entry<PartRef, Map<String, Wanted>> part : byPart.entrySet()) {
            scanPart(part.getKey(), part.getValue(), digests, handler);
            for (Wanted missing : part.getValue().values()) {
                findings.add(missing.entry().path() + ": not found in part " + part.getKey().part() + " of backup "
                        + part.getKey().backup());
            }
        }
    }

    private void scanPart(PartRef ref, Map<String, Wanted> wanted, Map<String, MessageDigest> digests, Handler handler) {
        Manifest manifest = manifests.computeIfAbsent(ref.backup(), id -> repository.findManifest(id).orElseThrow(() ->
                new DroverException(DroverErrors.REPOSITORY_CORRUPT, "backup " + id + ", which holds data of this backup, is"
                        + " missing from target '" + repository.name() + "'")));
        StoredObject object = manifest.part(ref.part()).orElseThrow(() -> new DroverException(DroverErrors.REPOSITORY_CORRUPT,
                "backup " + ref.backup() + " has no part " + ref.part() + " but the index refers to it"));
        IndexEntry inProgress = null;
        String failure = null;
        try (ObjectReader.OpenObject open = ObjectReader.open(repository, manifest, object, decryption)) {
            long limit = Math.max(object.size(), RATIO_FLOOR_BYTES) * maxRatio;
            LimitedInputStream counted = new LimitedInputStream(open.plain(), limit, object.key());
            TarArchiveInputStream tar = new TarArchiveInputStream(counted, "UTF-8");
            TarArchiveEntry tarEntry;
            while (!wanted.isEmpty() && (tarEntry = tar.getNextEntry()) != null) {
                Wanted want = wanted.remove(tarEntry.getName());
                if (want == null) {
                    continue;
                }
                IndexEntry entry = want.entry();
                IndexEntry.Segment segment = entry.segments().get(want.segmentIndex());
                if (!tarEntry.isFile() || tarEntry.isLink() || tarEntry.isSymbolicLink()) {
                    findings.add(entry.path() + ": stored entry " + tarEntry.getName() + " is not a regular file; refused");
                    continue;
                }
                if (tarEntry.getSize() != segment.size()) {
                    findings.add(entry.path() + ": stored entry is " + tarEntry.getSize() + " bytes, the index says "
                            + segment.size() + "; refused");
                    continue;
                }
                MessageDigest digest = digests.computeIfAbsent(entry.path(), p -> newDigest());
                inProgress = entry;
                handler.segment(entry, want.segmentIndex() == 0, new DigestingStream(tar, digest));
                if (want.segmentIndex() == entry.segments().size() - 1) {
                    digests.remove(entry.path());
                    String actual = HexFormat.of().formatHex(digest.digest());
                    boolean intact = actual.equals(entry.sha256());
                    if (!intact) {
                        findings.add(entry.path() + ": content hash " + actual + " differs from the index (" + entry.sha256() + ")");
                    }
                    handler.fileDone(entry, intact);
                }
                inProgress = null;
            }
            plainBytes += counted.count();
            open.checkIntegrity();
            storedBytes += open.storedBytesRead();
        } catch (DroverException e) {
            if (e.code() != DroverErrors.REPOSITORY_CORRUPT) {
                abandon(inProgress, handler);
                throw e;
            }
            failure = e.getMessage();
        } catch (IOException e) {
            failure = "object " + object.key() + " in target '" + repository.name() + "' cannot be read (damaged or tampered): "
                    + e.getMessage();
        }
        if (failure != null) {
            findings.add(failure);
            Set<String> lost = new LinkedHashSet<>();
            if (inProgress != null) {
                lost.add(inProgress.path());
                abandon(inProgress, handler);
            }
            wanted.values().forEach(w -> lost.add(w.entry().path()));
            wanted.clear();
            lost.forEach(path -> findings.add(path + ": not restored, because " + object.key() + " could not be read"));
        }
    }

    private static void abandon(IndexEntry entry, Handler handler) {
        if (entry == null) {
            return;
        }
        try {
            handler.fileFailed(entry);
        } catch (IOException ignored) {
            // the failure itself is already reported
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hashes what the handler reads; reads the rest so the hash covers the whole entry. */
    private static final class DigestingStream extends FilterInputStream {
        private final MessageDigest digest;

        DigestingStream(InputStream in, MessageDigest digest) {
            super(in);
            this.digest = digest;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                digest.update((byte) b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                digest.update(b, off, n);
            }
            return n;
        }

        @Override
        public void close() {
            // the tar stream stays open for the next entry
        }
    }

    /** Stops decompression bombs: fails once a part expands beyond the allowed ratio. */
    private static final class LimitedInputStream extends FilterInputStream {
        private final long limit;
        private final String key;
        private long count;

        LimitedInputStream(InputStream in, long limit, String key) {
            super(in);
            this.limit = limit;
            this.key = key;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(long n) {
            count += n;
            if (count > limit) {
                throw new DroverException(DroverErrors.RESTORE_LIMIT_EXCEEDED, key + " expands to more than " + limit
                        + " bytes, beyond the allowed compression ratio; refusing it as a possible decompression bomb",
                        "if the data is genuine, raise --max-ratio", List.of(), null);
            }
        }

        long count() {
            return count;
        }
    }
}
