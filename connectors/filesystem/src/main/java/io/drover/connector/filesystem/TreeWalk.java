package io.drover.connector.filesystem;

import io.drover.core.spi.EntryMeta;
import io.drover.core.spi.EntrySink;
import io.drover.core.spi.EntryType;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One walk over the roots of a {@code files} source, emitting entries parents first, children in
 * name order. Problems with single entries become warnings; only the roots must be readable.
 */
final class TreeWalk {
    private final EntrySink sink;
    private final PathFilter filter;
    private final boolean oneFileSystem;
    private final OwnerNames owners = new OwnerNames();
    /** Directories on the current path not yet emitted: with includes, a directory is only emitted above a selected entry. */
    private final List<EntryMeta> pendingDirectories = new ArrayList<>();
    private final Set<Path> emittedAncestors = new HashSet<>();

    TreeWalk(EntrySink sink, PathFilter filter, boolean oneFileSystem) {
        this.sink = sink;
        this.filter = filter;
        this.oneFileSystem = oneFileSystem;
    }

    void walk(List<Path> roots) throws IOException {
        for (Path root : roots) {
            FileStat rootStat = FileStat.of(root);
            emitAncestors(root);
            visit(root, rootStat, rootStat.device(), true);
        }
    }

    /** Emits the directories above a root so a restore recreates them with their metadata. */
    private void emitAncestors(Path root) throws IOException {
        List<Path> ancestors = new ArrayList<>();
        for (Path dir = root.getParent(); dir != null && dir.getNameCount() > 0; dir = dir.getParent()) {
            ancestors.addFirst(dir);
        }
        for (Path dir : ancestors) {
            if (emittedAncestors.add(dir)) {
                sink.directory(meta(dir, FileStat.of(dir), ""));
            }
        }
    }

    private void visit(Path path, FileStat stat, long rootDevice, boolean isRoot) throws IOException {
        switch (stat.kind()) {
            case DIRECTORY -> visitDirectory(path, stat, rootDevice, isRoot);
            case FILE -> {
                if (filter.selects(path)) {
                    // No access(2) check here: core opens only new and changed files, and one it cannot
                    // open is skipped with a warning; an unchanged file keeps its stored content.
                    emitPendingDirectories();
                    sink.file(meta(path, stat, ""), new LocalFileContent(path, stat));
                }
            }
            case SYMLINK -> {
                if (filter.selects(path)) {
                    String target;
                    try {
                        target = Files.readSymbolicLink(path).toString();
                    } catch (IOException e) {
                        sink.warn(entryPath(path), "cannot read symlink: " + describe(e));
                        return;
                    }
                    emitPendingDirectories();
                    sink.symlink(meta(path, stat, target));
                }
            }
            default -> {
                if (filter.selects(path)) {
                    sink.warn(entryPath(path), "skipped: a " + stat.kind().description() + " cannot be backed up");
                }
            }
        }
    }

    private void visitDirectory(Path dir, FileStat stat, long rootDevice, boolean isRoot) throws IOException {
        if (!filter.walksDirectory(dir)) {
            return;
        }
        boolean hasEntry = dir.getNameCount() > 0; // "/" itself has no entry path
        if (hasEntry) {
            pendingDirectories.add(meta(dir, stat, ""));
            if (!filter.hasIncludes()) {
                emitPendingDirectories();
            }
        }
        // A mount point is kept as a directory, but what is mounted there is another file system.
        if (!oneFileSystem || stat.device() == rootDevice) {
            for (Path child : sortedChildren(dir, isRoot)) {
                FileStat childStat = statOrWarn(child);
                if (childStat != null) {
                    visit(child, childStat, rootDevice, false);
                }
            }
        }
        if (hasEntry && !pendingDirectories.isEmpty()) {
            pendingDirectories.removeLast();
        }
    }

    private List<Path> sortedChildren(Path dir, boolean isRoot) throws IOException {
        List<Map.Entry<String, Path>> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(child -> children.add(Map.entry(child.getFileName().toString(), child)));
        } catch (IOException e) {
            if (isRoot) {
                throw new IOException("cannot read source path " + dir + ": " + describe(e), e);
            }
            sink.warn(entryPath(dir), "cannot list directory: " + describe(e) + "; its content is not backed up");
            return List.of();
        }
        // Sort by name, as strings, so the order is the same on every run and every file system
        // (each name made once, not once per comparison).
        children.sort(Map.Entry.comparingByKey());
        return children.stream().map(Map.Entry::getValue).toList();
    }

    private FileStat statOrWarn(Path path) {
        try {
            return FileStat.of(path);
        } catch (NoSuchFileException e) {
            sink.warn(entryPath(path), "vanished while the directory was read");
        } catch (IOException e) {
            sink.warn(entryPath(path), "cannot read attributes: " + describe(e));
        }
        return null;
    }

    private void emitPendingDirectories() throws IOException {
        // The list holds only the not-yet-emitted tail of the current directory path, so after
        // emitting it is empty, and leaving an emitted directory finds nothing to remove.
        for (EntryMeta dir : pendingDirectories) {
            sink.directory(dir);
        }
        pendingDirectories.clear();
    }

    private EntryMeta meta(Path path, FileStat stat, String linkTarget) {
        EntryType type = switch (stat.kind()) {
            case DIRECTORY -> EntryType.DIRECTORY;
            case SYMLINK -> EntryType.SYMLINK;
            default -> EntryType.FILE;
        };
        long size = type == EntryType.FILE ? stat.size() : 0;
        return new EntryMeta(entryPath(path), type, stat.mode(), stat.modified().toInstant(), size, stat.uid(),
                stat.gid(), owners.user(stat.uid(), path), owners.group(stat.gid(), path), linkTarget, stat.changeToken());
    }

    /** {@code /etc/app/x.conf} → {@code etc/app/x.conf}. */
    static String entryPath(Path absolute) {
        return absolute.toString().substring(1);
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "it vanished";
        }
        return e.getMessage();
    }
}
