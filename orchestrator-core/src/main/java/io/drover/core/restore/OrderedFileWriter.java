package io.drover.core.restore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Writes restored files on a thread of its own, in the order they are handed in, so that decoding
 * (read, decrypt, decompress, untar, hash) and file creation overlap — the two halves of
 * {@code zstd -d | tar -x}. Memory is bounded by a fixed pool of buffers. Files are opened without
 * following symbolic links; the first failure stops the writer and is rethrown to the caller.
 */
final class OrderedFileWriter implements AutoCloseable {
    private static final int BUFFER_SIZE = 1 << 20;
    private static final int BUFFERS = 8;
    private static final Set<OpenOption> CREATE = Set.of(
            StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    private static final Set<OpenOption> APPEND = Set.of(StandardOpenOption.APPEND, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    private static final Set<OpenOption> CREATE_NEW = Set.of(
            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    private static final int WINDOW_SIZE = 1 << 16;
    /** OWNER_READ ... OTHERS_EXECUTE, mode bits 0400 down to 0001; values() copies its array on every call. */
    private static final PosixFilePermission[] PERMISSION_BITS = PosixFilePermission.values();

    /** Work done after a file is closed (metadata), on the writer thread. */
    interface AfterClose {
        /** @param modeSet whether the file was created with its final mode already (no chmod needed) */
        void run(boolean modeSet) throws IOException;
    }

    private sealed interface Op permits Open, Data, Close, Discard, Stop {
    }

    private record Open(Path path, boolean append, int mode) implements Op {
    }

    private record Data(ByteBuffer buffer) implements Op {
    }

    private record Close(AfterClose after) implements Op {
    }

    private record Discard(Path path) implements Op {
    }

    private record Stop() implements Op {
    }

    private final byte[] window = new byte[WINDOW_SIZE];
    private final BlockingQueue<Op> queue = new ArrayBlockingQueue<>(BUFFERS * 4);
    private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BUFFERS);
    private final Thread thread;
    private volatile IOException failure;
    private FileChannel current;
    /** Whether the file being written was created with its final mode. */
    private boolean currentModeSet;
    /** The process's umask: permission bits open(2) would clear; all of them when unknown. */
    private final int umask;

    /**
     * @param root       the restore target: a probe file there tells the mode bits new files lose
     *                   (the umask, or a default ACL, which directories created below it inherit)
     * @param freshTree  whether every directory below {@code root} is new: into an existing tree
     *                   (restore --force) a directory may carry another default ACL, so modes are set
     *                   afterwards as before
     */
    OrderedFileWriter(Path root, boolean freshTree) {
        this.umask = freshTree ? umask(root) : 0777;
        for (int i = 0; i < BUFFERS; i++) {
            free.add(ByteBuffer.allocateDirect(BUFFER_SIZE));
        }
        thread = Thread.ofPlatform().name("drover-restore-writer").daemon().start(this::loop);
    }

    /**
     * Starts writing {@code path}: created (or truncated), or appended to for a later segment of the
     * same file. {@code mode} is the file's final mode: a new file gets it from open(2) when the umask
     * keeps it intact, which saves the open, chmod and close that setting it afterwards costs.
     */
    void open(Path path, boolean append, int mode) throws IOException {
        put(new Open(path, append, mode));
    }

    /** Copies {@code data} to the open file (which stays open for {@link #close}); returns the number of bytes. */
    long write(InputStream data) throws IOException {
        long total = 0;
        while (true) {
            ByteBuffer buffer = take();
            int n = fill(data, buffer);
            if (n <= 0) {
                free.add(buffer);
                return total;
            }
            total += n;
            buffer.flip();
            put(new Data(buffer));
        }
    }

    /** Closes the open file, then runs {@code after} on the writer thread. */
    void close(AfterClose after) throws IOException {
        put(new Close(after));
    }

    /** Closes and deletes the open file: its content is incomplete. */
    void discard(Path path) throws IOException {
        put(new Discard(path));
    }

    /** Waits until everything handed in is written; rethrows the first failure. */
    void finish() throws IOException {
        put(new Stop());
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing restored files", e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        if (thread.isAlive()) {
            failure = failure != null ? failure : new IOException("restore aborted");
            thread.interrupt();
        }
    }

    /** Fills {@code buffer} from {@code data} through a heap window (InputStream has no ByteBuffer API). */
    private int fill(InputStream data, ByteBuffer buffer) throws IOException {
        int filled = 0;
        while (buffer.hasRemaining()) {
            int n = data.read(window, 0, Math.min(window.length, buffer.remaining()));
            if (n < 0) {
                break;
            }
            buffer.put(window, 0, n);
            filled += n;
        }
        return filled;
    }

    private ByteBuffer take() throws IOException {
        try {
            ByteBuffer buffer;
            while ((buffer = free.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS)) == null) {
                checkFailure();
            }
            buffer.clear();
            return buffer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void put(Op op) throws IOException {
        checkFailure();
        try {
            while (!queue.offer(op, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                checkFailure();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void checkFailure() throws IOException {
        if (failure != null) {
            throw failure;
        }
    }

    private void loop() {
        while (true) {
            Op op;
            try {
                op = queue.take();
            } catch (InterruptedException e) {
                closeQuietly();
                return;
            }
            if (op instanceof Stop) {
                closeQuietly();
                return;
            }
            if (failure != null) {
                if (op instanceof Data data) {
                    free.add(data.buffer());
                }
                continue;
            }
            try {
                execute(op);
            } catch (IOException e) {
                failure = e;
                closeQuietly();
            } catch (RuntimeException e) {
                failure = new IOException(e.getMessage(), e);
                closeQuietly();
            }
        }
    }

    private void execute(Op op) throws IOException {
        switch (op) {
            case Open open -> {
                closeQuietly(); // the previous segment's file, when a file spans several entries
                if (open.append()) {
                    current = openFile(open.path(), true);
                } else {
                    current = createWithMode(open.path(), open.mode());
                    currentModeSet = current != null;
                    if (current == null) {
                        current = openFile(open.path(), false);
                    }
                }
            }
            case Data data -> {
                try {
                    while (data.buffer().hasRemaining()) {
                        current.write(data.buffer());
                    }
                } finally {
                    free.add(data.buffer());
                }
            }
            case Close close -> {
                current.close();
                current = null;
                close.after().run(currentModeSet);
            }
            case Discard discard -> {
                closeQuietly();
                Files.deleteIfExists(discard.path());
            }
            case Stop stop -> {
            }
        }
    }

    /**
     * Creates a new file with {@code mode} when open(2) can give exactly that mode (no setuid, setgid
     * or sticky bit, nothing the umask clears); null when it cannot, or something is in the way.
     */
    private FileChannel createWithMode(Path path, int mode) throws IOException {
        if ((mode & 07000) != 0 || (mode & umask) != 0) {
            return null;
        }
        try {
            return FileChannel.open(path, CREATE_NEW, PosixFilePermissions.asFileAttribute(permissions(mode)));
        } catch (FileAlreadyExistsException e) {
            return null; // restore --force over an existing file (or link): the general path handles it
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < PERMISSION_BITS.length; i++) {
            if ((mode & (0400 >> i)) != 0) {
                permissions.add(PERMISSION_BITS[i]);
            }
        }
        return permissions;
    }

    /** The umask, read from what a new file with mode 0777 gets in {@code dir}; 0777 (trust nothing) when that fails. */
    private static int umask(Path dir) {
        Path probe = null;
        try {
            probe = Files.createTempFile(dir, ".drover-umask-", ".tmp",
                    PosixFilePermissions.asFileAttribute(EnumSet.allOf(PosixFilePermission.class)));
            int granted = (Integer) Files.getAttribute(probe, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return 0777 & ~granted;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 0777;
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException ignored) {
                    // a leftover probe file is harmless
                }
            }
        }
    }

    /** Opens without following links; a symlink in the way (restore --force) is replaced, never followed. */
    private static FileChannel openFile(Path path, boolean append) throws IOException {
        try {
            return FileChannel.open(path, append ? APPEND : CREATE);
        } catch (FileSystemException e) {
            if (!append && Files.isSymbolicLink(path)) {
                Files.delete(path);
                return FileChannel.open(path, CREATE);
            }
            throw e;
        }
    }

    private void closeQuietly() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // the failure that led here is reported
            }
            current = null;
        }
    }
}
