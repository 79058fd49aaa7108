package io.drover.core.restore;

import io.drover.core.crypto.Decryption;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.model.BackupId;
import io.drover.core.model.DataSize;
import io.drover.core.repository.ChainScanner;
import io.drover.core.repository.IndexEntry;
import io.drover.core.repository.Manifest;
import io.drover.core.repository.ObjectReader;
import io.drover.core.repository.Repository;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Restores a backup (its whole incremental chain, as the final index describes it) into a
 * directory. Unsafe entries are refused and reported, never written; content is checked against
 * the index hashes while it is written.
 */
public final class Restorer {
    private static final int COPY_BUFFER = 1 << 20;

    private final Repository repository;
    private final Decryption decryption;
    private final LongConsumer progress;
    private final byte[] buffer = new byte[COPY_BUFFER];

    public Restorer(Repository repository, Decryption decryption, LongConsumer bytesWritten) {
        this.repository = repository;
        this.decryption = decryption;
        this.progress = bytesWritten;
    }

    public RestoreResult restore(BackupId id, RestoreOptions options) {
        Manifest manifest = repository.manifest(id);
        Map<String, IndexEntry> index = ObjectReader.readIndex(repository, manifest, decryption);
        List<IndexEntry> selected = select(index, options.subtree(), id);
        long total = selected.stream().filter(IndexEntry::isFile).mapToLong(IndexEntry::size).sum();
        if (total > options.maxBytes()) {
            throw new DroverException(DroverErrors.RESTORE_LIMIT_EXCEEDED, "the restore would write " + DataSize.format(total)
                    + ", more than the limit of " + DataSize.format(options.maxBytes()),
                    "raise --max-size if the target has room", List.of(), null);
        }
        Path root = prepareTarget(options);
        try {
            return new Run(root, options).restore(selected);
        } catch (IOException e) {
            throw new DroverException(DroverErrors.IO_FAILED, "restore into " + root + " failed: " + io.drover.core.repository.StorageErrors.describe(e),
                    "check free space and permissions of the target directory", List.of(), e);
        }
    }

    private static List<IndexEntry> select(Map<String, IndexEntry> index, Optional<String> subtree, BackupId id) {
        if (subtree.isEmpty()) {
            return List.copyOf(index.values());
        }
        String prefix = subtree.get();
        List<IndexEntry> selected = index.values().stream()
                .filter(e -> e.path().equals(prefix) || e.path().startsWith(prefix + "/"))
                .toList();
        if (selected.isEmpty()) {
            throw new DroverException(DroverErrors.PATH_NOT_FOUND, "backup " + id + " has nothing at '" + prefix + "'",
                    "list its contents with 'drover backup show " + id + " --files'", List.of(), null);
        }
        return selected;
    }

    private static Path prepareTarget(RestoreOptions options) {
        Path root = options.target().toAbsolutePath().normalize();
        try {
            if (Files.isSymbolicLink(root)) {
                throw new DroverException(DroverErrors.RESTORE_TARGET_NOT_EMPTY, "restore target " + root + " is a symbolic link",
                        "restore into a real directory", List.of(), null);
            }
            if (Files.exists(root)) {
                if (!Files.isDirectory(root)) {
                    throw new DroverException(DroverErrors.RESTORE_TARGET_NOT_EMPTY, "restore target " + root
                            + " exists and is not a directory", "choose another --to directory", List.of(), null);
                }
                if (!options.force() && !isEmpty(root)) {
                    throw new DroverException(DroverErrors.RESTORE_TARGET_NOT_EMPTY, "restore target " + root + " is not empty",
                            "restore into an empty directory, or pass --force to write into it", List.of(), null);
                }
            } else {
                Files.createDirectories(root);
            }
            return root.toRealPath();
        } catch (IOException e) {
            throw new DroverException(DroverErrors.IO_FAILED, "cannot prepare restore target " + root + ": " + io.drover.core.repository.StorageErrors.describe(e), e);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        }
    }

    /** State of one restore. */
    private final class Run implements ChainScanner.Handler {
        private final SafeTree tree;
        private final RestoreOptions options;
        private final List<String> refused = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private final Map<String, Path> filePaths = new HashMap<>();
        private final List<IndexEntry> restoredFiles = java.util.Collections.synchronizedList(new ArrayList<>());
        /** Symlinks this restore creates: nothing may be restored below one, whatever the order of creation. */
        private final Set<String> symlinkPaths = new HashSet<>();
        private final Ownership ownership;
        private OrderedFileWriter writer;
        private long bytes;
        private long directories;
        private long symlinks;

        Run(Path root, RestoreOptions options) {
            this.tree = new SafeTree(root);
            this.options = options;
            this.ownership = Ownership.of(options.setOwner());
        }

        RestoreResult restore(List<IndexEntry> entries) throws IOException {
            entries.stream().filter(e -> IndexEntry.SYMLINK.equals(e.type())).forEach(e -> symlinkPaths.add(e.path()));
            List<IndexEntry> dirs = new ArrayList<>();
            List<IndexEntry> files = new ArrayList<>();
            List<IndexEntry> links = new ArrayList<>();
            List<IndexEntry> hardlinks = new ArrayList<>();
            for (IndexEntry entry : entries) {
                switch (entry.type()) {
                    case IndexEntry.DIRECTORY -> dirs.add(entry);
                    case IndexEntry.FILE -> files.add(entry);
                    case IndexEntry.SYMLINK -> links.add(entry);
                    case IndexEntry.HARDLINK -> hardlinks.add(entry);
                    default -> refused.add(entry.path() + ": " + describeType(entry.type()) + " is never restored");
                }
            }
            List<IndexEntry> createdDirs = new ArrayList<>();
            for (IndexEntry dir : dirs) {
                Optional<Path> path = resolve(dir);
                if (path.isPresent()) {
                    if (!tree.isKnownDirectory(path.get()) && Files.isSymbolicLink(path.get())) {
                        Files.delete(path.get());
                    }
                    tree.createDirectories(path.get());
                    createdDirs.add(dir);
                    directories++;
                }
            }
            List<IndexEntry> safeFiles = new ArrayList<>();
            for (IndexEntry file : files) {
                Optional<Path> path = resolve(file);
                if (path.isPresent()) {
                    filePaths.put(file.path(), path.get());
                    safeFiles.add(file);
                }
            }
            ChainScanner scanner = new ChainScanner(repository, decryption, options.maxRatio());
            try (OrderedFileWriter fileWriter = new OrderedFileWriter(tree.root(), !options.force())) {
                writer = fileWriter;
                scanner.scan(safeFiles, this);
                fileWriter.finish();
            }
            problems.addAll(scanner.findings());
            for (IndexEntry link : hardlinks) {
                restoreHardlink(link);
            }
            for (IndexEntry link : links) {
                Optional<Path> path = resolve(link);
                if (path.isPresent()) {
                    Files.deleteIfExists(path.get());
                    Files.createSymbolicLink(path.get(), Path.of(link.link()));
                    setTimes(path.get(), link);
                    symlinks++;
                }
            }
            // Deepest first: setting a parent's mtime before its children are written would be undone.
            createdDirs.sort(Comparator.comparing((IndexEntry e) -> e.path().length()).reversed());
            for (IndexEntry dir : createdDirs) {
                applyMetadata(tree.root().resolve(dir.path()), dir);
            }
            return new RestoreResult(restoredFiles.size(), directories, symlinks, bytes, refused, problems);
        }

        private Optional<String> symlinkAbove(String path) {
            int slash = path.indexOf('/');
            while (slash > 0) {
                String ancestor = path.substring(0, slash);
                if (symlinkPaths.contains(ancestor)) {
                    return Optional.of(ancestor);
                }
                slash = path.indexOf('/', slash + 1);
            }
            return Optional.empty();
        }

        private Optional<Path> resolve(IndexEntry entry) throws IOException {
            Optional<String> link = symlinkAbove(entry.path());
            if (link.isPresent()) {
                refused.add(entry.path() + ": lies below the symbolic link " + link.get() + " of the same backup (symlink escape)");
                return Optional.empty();
            }
            String[] reason = new String[1];
            Optional<Path> path = tree.resolveForWrite(entry.path(), reason);
            if (path.isEmpty()) {
                refused.add(entry.path() + ": " + reason[0]);
            }
            return path;
        }

        @Override
        public void segment(IndexEntry entry, boolean first, InputStream data) throws IOException {
            Path path = filePaths.get(entry.path());
            if (first) {
                // Ancestors were checked; a subtree restore may lack their directory entries.
                tree.createDirectories(path.getParent());
            }
            writer.open(path, !first, entry.mode() & 07777);
            long n = writer.write(data);
            bytes += n;
            progress.accept(n);
        }

        @Override
        public void fileDone(IndexEntry entry, boolean intact) throws IOException {
            Path path = filePaths.get(entry.path());
            writer.close(modeSet -> {
                applyMetadata(path, entry, modeSet);
                restoredFiles.add(entry);
            });
        }

        @Override
        public void fileFailed(IndexEntry entry) throws IOException {
            // An incomplete file must not pass for a restored one.
            writer.discard(filePaths.get(entry.path()));
        }

        private void restoreHardlink(IndexEntry link) throws IOException {
            Optional<Path> path = resolve(link);
            if (path.isEmpty()) {
                return;
            }
            Optional<String> targetProblem = SafePaths.problemWith(link.link());
            Path existing = targetProblem.isPresent() ? null : filePaths.get(link.link());
            if (existing == null) {
                refused.add(link.path() + ": hard link to '" + link.link() + "', which is not a file of this restore (hardlink escape)");
                return;
            }
            Files.deleteIfExists(path.get());
            Files.createLink(path.get(), existing);
        }

        private void applyMetadata(Path path, IndexEntry entry) throws IOException {
            applyMetadata(path, entry, false);
        }

        /** @param modeSet the file was created with its mode (plain permission bits only), so no chmod is needed */
        private void applyMetadata(Path path, IndexEntry entry, boolean modeSet) throws IOException {
            ownership.apply(path, entry.uid(), entry.gid());
            if (!modeSet) {
                // unix:mode keeps setuid, setgid and sticky bits, which PosixFilePermission cannot express.
                Files.setAttribute(path, "unix:mode", entry.mode() & 07777, LinkOption.NOFOLLOW_LINKS);
            }
            setTimes(path, entry);
        }

        private void setTimes(Path path, IndexEntry entry) throws IOException {
            FileTime time = FileTime.from(entry.modified());
            Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(time, null, null);
        }
    }

    private static String describeType(String type) {
        return switch (type) {
            case "CHARACTER_DEVICE", "BLOCK_DEVICE", "DEVICE" -> "device node";
            case "FIFO" -> "named pipe";
            default -> "entry of type " + type;
        };
    }

}
