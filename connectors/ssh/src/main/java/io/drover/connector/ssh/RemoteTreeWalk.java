package io.drover.connector.ssh;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.SftpException;
import io.drover.core.spi.EntryMeta;
import io.drover.core.spi.EntrySink;
import io.drover.core.spi.EntryType;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One walk over the remote roots of an {@code sftp-files} source, emitting entries parents first,
 * children in name order, never following symlinks. Problems with single entries become warnings;
 * only the roots must be readable. A dropped connection is ridden out by {@link SourceConnection}:
 * each listing or look-up that saw it runs again on a new connection, and the walk goes on.
 */
final class RemoteTreeWalk {
    private final SourceConnection source;
    private final String address;
    private final EntrySink sink;
    private final RemotePathFilter filter;
    /** Directories on the current path not yet emitted: with includes, a directory is only emitted above a selected entry. */
    private final List<EntryMeta> pendingDirectories = new ArrayList<>();
    private final Set<String> emittedAncestors = new HashSet<>();

    RemoteTreeWalk(SourceConnection source, String address, EntrySink sink, RemotePathFilter filter) {
        this.source = source;
        this.address = address;
        this.sink = sink;
        this.filter = filter;
    }

    SourceConnection source() {
        return source;
    }

    /** Walks normalized absolute roots, sorted, none inside another. */
    void walk(List<String> roots) throws IOException {
        for (String root : roots) {
            RemoteStat rootStat = lstat(root);
            emitAncestors(root);
            visit(root, rootStat, true);
        }
    }

    /** Emits the directories above a root so a restore recreates them with their metadata. */
    private void emitAncestors(String root) throws IOException {
        List<String> ancestors = new ArrayList<>();
        for (String dir = parent(root); dir != null && !dir.equals("/"); dir = parent(dir)) {
            ancestors.addFirst(dir);
        }
        for (String dir : ancestors) {
            if (emittedAncestors.add(dir)) {
                sink.directory(meta(dir, lstat(dir), ""));
            }
        }
    }

    private void visit(String path, RemoteStat stat, boolean isRoot) throws IOException {
        switch (stat.kind()) {
            case DIRECTORY -> visitDirectory(path, stat, isRoot);
            case FILE -> {
                if (filter.selects(path)) {
                    emitPendingDirectories();
                    sink.file(meta(path, stat, ""), new SftpFileContent(this, path, stat));
                }
            }
            case SYMLINK -> {
                if (filter.selects(path)) {
                    String target;
                    try {
                        target = source.call("reading symlink " + path, sftp -> sftp.readlink(quote(path)));
                    } catch (SftpException e) {
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

    private void visitDirectory(String dir, RemoteStat stat, boolean isRoot) throws IOException {
        if (!filter.walksDirectory(dir)) {
            return;
        }
        boolean hasEntry = !dir.equals("/"); // "/" itself has no entry path
        if (hasEntry) {
            pendingDirectories.add(meta(dir, stat, ""));
            if (!filter.hasIncludes()) {
                emitPendingDirectories();
            }
        }
        for (Child child : sortedChildren(dir, isRoot)) {
            visit(child.path(), child.stat(), false);
        }
        if (hasEntry && !pendingDirectories.isEmpty()) {
            pendingDirectories.removeLast();
        }
    }

    private record Child(String name, String path, RemoteStat stat) {
    }

    /**
     * The directory's children with the attributes the listing carries (servers take them with
     * {@code lstat}, so symlinks are not followed), sorted by name as strings.
     */
    private List<Child> sortedChildren(String dir, boolean isRoot) throws IOException {
        List<Child> children;
        try {
            children = source.call("listing " + dir, sftp -> {
                // Made here, so that a listing run again after a drop starts empty.
                List<Child> listed = new ArrayList<>();
                sftp.ls(quote(dir), entry -> {
                    String name = entry.getFilename();
                    if (!name.equals(".") && !name.equals("..") && !name.isEmpty() && name.indexOf('/') < 0) {
                        listed.add(new Child(name, child(dir, name), RemoteStat.of(entry.getAttrs())));
                    }
                    return ChannelSftp.LsEntrySelector.CONTINUE;
                });
                return listed;
            });
        } catch (SftpException e) {
            if (isRoot) {
                throw new IOException("cannot read source path " + dir + " on " + address + ": " + describe(e), e);
            }
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                sink.warn(entryPath(dir), "vanished while it was read; its content is not backed up");
            } else {
                sink.warn(entryPath(dir), "cannot list directory: " + describe(e) + "; its content is not backed up");
            }
            return List.of();
        }
        children.sort((a, b) -> a.name().compareTo(b.name()));
        return children;
    }

    /** {@code lstat} of a remote path; a missing path is a {@link NoSuchFileException}. */
    RemoteStat lstat(String path) throws IOException {
        try {
            return RemoteStat.of(source.call("looking at " + path, sftp -> sftp.lstat(quote(path))));
        } catch (SftpException e) {
            throw failure("cannot read attributes of", path, e);
        }
    }

    IOException failure(String what, String path, SftpException e) {
        return switch (e.id) {
            case ChannelSftp.SSH_FX_NO_SUCH_FILE -> new NoSuchFileException(path, null, "vanished: no such file on " + address);
            case ChannelSftp.SSH_FX_PERMISSION_DENIED -> new AccessDeniedException(path, null, "permission denied on " + address);
            default -> new IOException(what + " " + path + " on " + address + ": " + describe(e), e);
        };
    }

    private void emitPendingDirectories() throws IOException {
        for (EntryMeta dir : pendingDirectories) {
            sink.directory(dir);
        }
        pendingDirectories.clear();
    }

    private static EntryMeta meta(String path, RemoteStat stat, String linkTarget) {
        EntryType type = switch (stat.kind()) {
            case DIRECTORY -> EntryType.DIRECTORY;
            case SYMLINK -> EntryType.SYMLINK;
            default -> EntryType.FILE;
        };
        long size = type == EntryType.FILE ? stat.size() : 0;
        // SFTP version 3 carries numeric ids only; owner and group names stay empty.
        return new EntryMeta(entryPath(path), type, stat.mode(), stat.modified(), size, stat.uid(), stat.gid(),
                "", "", linkTarget, stat.changeToken());
    }

    /** {@code /etc/app/x.conf} → {@code etc/app/x.conf}. */
    static String entryPath(String absolute) {
        return absolute.substring(1);
    }

    static String child(String dir, String name) {
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }

    /** The parent of a normalized absolute path, or {@code null} for {@code /}. */
    static String parent(String path) {
        if (path.equals("/")) {
            return null;
        }
        int slash = path.lastIndexOf('/');
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    /**
     * JSch expands {@code *} and {@code ?} in remote paths as globs, with {@code \} as escape:
     * escape them so that names containing them are taken literally.
     */
    static String quote(String path) {
        StringBuilder quoted = new StringBuilder(path.length() + 8);
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\' || c == '*' || c == '?') {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        return quoted.toString();
    }

    private static String describe(SftpException e) {
        return switch (e.id) {
            case ChannelSftp.SSH_FX_NO_SUCH_FILE -> "it vanished";
            case ChannelSftp.SSH_FX_PERMISSION_DENIED -> "permission denied";
            default -> e.getMessage() + " (SFTP status " + e.id + ")";
        };
    }
}
