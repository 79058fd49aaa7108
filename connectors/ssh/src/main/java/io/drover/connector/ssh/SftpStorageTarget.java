package io.drover.connector.ssh;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import io.drover.core.spi.NoSuchObjectException;
import io.drover.core.spi.ObjectAlreadyExistsException;
import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.ObjectKeys;
import io.drover.core.spi.ObjectOutput;
import io.drover.core.spi.StorageCapability;
import io.drover.core.spi.StorageTarget;
import io.drover.core.storage.RetryPolicy;
import io.drover.core.storage.Sleeper;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A storage target on an SFTP server: each object is a file under the base path, key segments
 * are directories. Objects are uploaded to hidden {@code .tmp-*} files and published with a
 * no-overwrite hard link (what OpenSSH's own rename does), so readers never see partial objects
 * and an existing object is never replaced.
 *
 * <p>Thread-safe: each operation borrows a whole connection (session + channel) from a small pool
 * and runs on that connection's I/O thread (see {@link SftpConnection} for why).
 * An operation that fails because the connection died is retried once on a new connection. An
 * object being written survives dropped connections on its own (see {@link SftpObjectOutput}),
 * since core's retries cannot replay bytes already streamed.
 */
public final class SftpStorageTarget implements StorageTarget {
    static final String TEMP_PREFIX = ObjectKeys.RESERVED_PREFIX;
    static final String HARDLINK = "hardlink@openssh.com";
    static final String POSIX_RENAME = "posix-rename@openssh.com";
    private static final int MAX_IDLE = 8;
    /** A failed login ahead is handed to a borrower that did not wait for it only this soon after. */
    private static final long FRESH_FAILURE_NANOS = Duration.ofSeconds(2).toNanos();
    private static final Logger LOG = LoggerFactory.getLogger(SftpStorageTarget.class);

    /**
     * How an object being written rides out dropped connections.
     *
     * @param policy          attempts in a row without progress (the failed one included) and backoff
     * @param sleeper         waits between attempts
     * @param checkpointBytes how many bytes an output sends before it waits for the server to
     *                        acknowledge them; this much memory per output holds them for a replay
     */
    record Resilience(RetryPolicy policy, Sleeper sleeper, int checkpointBytes) {
        /**
         * The defaults of a target's {@code limits:} block (5 attempts, 1 s doubling to 30 s):
         * core does not hand a target's limits to its connector yet. With 4 MiB checkpoints,
         * uploads to OpenSSH on loopback ran within the noise of uploads without them (see
         * SftpUploadThroughputBench), and an output holds at most 4 MiB for a replay.
         */
        static final Resilience DEFAULT = new Resilience(new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30)),
                Sleeper.SYSTEM, 4 * 1024 * 1024);

        Resilience {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(sleeper, "sleeper");
            if (checkpointBytes < 1) {
                throw new IllegalArgumentException("checkpointBytes must be positive: " + checkpointBytes);
            }
        }
    }

    private final SftpTargetConfig config;
    private final SshConnector connector;
    private final Resilience resilience;
    private final String base;
    private final Deque<SftpConnection> idle = new ArrayDeque<>();
    /** Logins started by {@link #prepareConcurrentUse} and not finished; guarded by {@link #idle}. */
    private int loggingIn;
    /** Why the last login ahead failed, for a borrower that waited for it; guarded by {@link #idle}. */
    private IOException loginAheadFailure;
    /** When it failed ({@link System#nanoTime}); a failure older than {@link #FRESH_FAILURE_NANOS} is not reused. */
    private long loginAheadFailedAt;
    private boolean closed;

    SftpStorageTarget(SftpTargetConfig config, Path knownHosts) {
        this(config, knownHosts, Resilience.DEFAULT);
    }

    SftpStorageTarget(SftpTargetConfig config, Path knownHosts, Resilience resilience) {
        this.config = config;
        this.connector = new SshConnector(config, knownHosts);
        this.resilience = Objects.requireNonNull(resilience, "resilience");
        String path = config.path();
        this.base = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    @Override
    public Set<StorageCapability> capabilities() {
        return EnumSet.of(StorageCapability.ATOMIC_CREATE);
    }

    @Override
    public String describe() {
        return config.describe();
    }

    @Override
    public ObjectOutput create(String key) throws IOException {
        String file = resolve(key);
        return withConnection("create " + key, connection -> {
            ChannelSftp sftp = connection.sftp();
            Optional<SftpATTRS> existing = lstat(sftp, file);
            if (existing.isPresent()) {
                if (existing.get().isDir()) {
                    throw new IOException("cannot create object '" + key + "' on " + describe()
                            + ": it is a directory of other objects");
                }
                throw new ObjectAlreadyExistsException(key);
            }
            makeDirectories(sftp, parentOf(file));
            String temp = parentOf(file) + "/" + SftpObjectOutput.tempName(nameOf(file));
            OutputStream stream;
            try {
                stream = sftp.put(temp, ChannelSftp.OVERWRITE); // written on the I/O thread by the output
            } catch (SftpException e) {
                throw failure("cannot start writing '" + key + "'", e);
            }
            return new SftpObjectOutput(this, connection, key, file, temp, stream);
        }, true);
    }

    @Override
    public InputStream open(String key) throws IOException {
        String file = resolve(key);
        return withConnection("open " + key, connection -> {
            ChannelSftp sftp = connection.sftp();
            Optional<SftpATTRS> attributes = lstat(sftp, file);
            if (attributes.isEmpty() || !attributes.get().isReg()) {
                throw new NoSuchObjectException(key);
            }
            InputStream in;
            try {
                in = sftp.get(file);
            } catch (SftpException e) {
                if (isMissing(e)) {
                    throw new NoSuchObjectException(key);
                }
                throw failure("cannot read '" + key + "'", e);
            }
            String name = "'" + key + "' from " + describe();
            return new ObjectReadStream(new SftpReadStream(connection, in, name, 0, attributes.get().getSize(),
                    SftpReadStream.exactSize()), connection);
        }, true);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        String file = resolve(key);
        return withConnection("stat " + key, connection -> lstat(connection.sftp(), file)
                .filter(SftpATTRS::isReg)
                .map(attributes -> new ObjectInfo(key, attributes.getSize())), false);
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        ObjectKeys.requireValidPrefix(prefix);
        int lastSlash = prefix.lastIndexOf('/');
        String startKey = lastSlash < 0 ? "" : prefix.substring(0, lastSlash);
        return withConnection("list " + prefix, connection -> {
            ChannelSftp sftp = connection.sftp();
            List<ObjectInfo> found = new ArrayList<>();
            String start = startKey.isEmpty() ? base : base + "/" + startKey;
            Optional<SftpATTRS> attributes = lstat(sftp, start);
            if (attributes.isPresent() && attributes.get().isDir()) {
                walk(sftp, start, startKey, prefix, found);
            }
            found.sort(Comparator.comparing(ObjectInfo::key));
            return found;
        }, false);
    }

    private void walk(ChannelSftp sftp, String dir, String dirKey, String prefix, List<ObjectInfo> found) throws IOException {
        for (ChannelSftp.LsEntry entry : entries(sftp, dir)) {
            String name = entry.getFilename();
            if (name.equals(".") || name.equals("..") || name.startsWith(TEMP_PREFIX)) {
                continue;
            }
            String key = dirKey.isEmpty() ? name : dirKey + "/" + name;
            if (!isValidKey(key)) {
                continue; // a stray file no drover key can name
            }
            SftpATTRS attributes = entry.getAttrs();
            if (attributes.isDir()) {
                // Descend only where keys with the prefix can be: "a/1" needs nothing under "b/".
                if (key.startsWith(prefix) || prefix.startsWith(key + "/")) {
                    walk(sftp, dir + "/" + name, key, prefix, found);
                }
            } else if (attributes.isReg() && key.startsWith(prefix)) {
                found.add(new ObjectInfo(key, attributes.getSize()));
            }
        }
    }

    /** A directory's entries with their attributes (symbolic links not followed); none if it vanished meanwhile. */
    private List<ChannelSftp.LsEntry> entries(ChannelSftp sftp, String dir) throws IOException {
        List<ChannelSftp.LsEntry> entries = new ArrayList<>();
        try {
            sftp.ls(dir, entry -> {
                entries.add(entry);
                return ChannelSftp.LsEntrySelector.CONTINUE;
            });
        } catch (SftpException e) {
            if (isMissing(e)) {
                return List.of(); // removed while we listed
            }
            throw failure("cannot list " + dir, e);
        }
        return entries;
    }

    @Override
    public void delete(String key) throws IOException {
        String file = resolve(key);
        withConnection("delete " + key, connection -> {
            ChannelSftp sftp = connection.sftp();
            try {
                sftp.rm(file);
            } catch (SftpException e) {
                Optional<SftpATTRS> attributes = lstat(sftp, file);
                if (attributes.isEmpty() || attributes.get().isDir()) {
                    return null; // already gone, or a directory, which is no object
                }
                throw failure("cannot delete '" + key + "'", e);
            }
            return null;
        }, false);
    }

    /**
     * Deletes the hidden temporary files of uploads that never finished (a killed process, a
     * connection that did not come back) anywhere under the base path, if they were last written
     * before {@code startedBefore}. An upload in progress writes its file all the time, so its
     * modification time stays fresh. SFTP gives whole seconds, rounded down: a file is taken for
     * older by less than a second, which callers' grace periods of hours make irrelevant.
     */
    @Override
    public int removeAbandonedWrites(Instant startedBefore) throws IOException {
        return withConnection("remove abandoned writes", connection -> {
            ChannelSftp sftp = connection.sftp();
            Optional<SftpATTRS> attributes = lstat(sftp, base);
            if (attributes.isEmpty() || !attributes.get().isDir()) {
                return 0;
            }
            List<String> stale = new ArrayList<>();
            findStaleTemps(sftp, base, startedBefore, stale);
            int removed = 0;
            for (String temp : stale) {
                try {
                    sftp.rm(temp);
                    removed++;
                } catch (SftpException e) {
                    if (lstat(sftp, temp).isPresent()) {
                        throw failure("cannot remove abandoned temporary file " + temp, e);
                    }
                    // Gone meanwhile: its upload finished or another prune was faster.
                }
            }
            return removed;
        }, false);
    }

    private void findStaleTemps(ChannelSftp sftp, String dir, Instant startedBefore, List<String> stale) throws IOException {
        for (ChannelSftp.LsEntry entry : entries(sftp, dir)) {
            String name = entry.getFilename();
            SftpATTRS attributes = entry.getAttrs();
            if (name.equals(".") || name.equals("..")) {
                continue;
            }
            String path = dir.equals("/") ? "/" + name : dir + "/" + name;
            if (attributes.isDir()) {
                findStaleTemps(sftp, path, startedBefore, stale);
            } else if (name.startsWith(TEMP_PREFIX) && attributes.isReg()
                    && Instant.ofEpochSecond(Integer.toUnsignedLong(attributes.getMTime())).isBefore(startedBefore)) {
                stale.add(path);
            }
        }
    }

    /**
     * Logs in ahead, in the background, until the pool holds or is getting {@code streams}
     * connections. Each login costs a few hundred milliseconds (key exchange, authentication, the
     * SFTP channel), and a backup needs two connections at once (a part and the index), which it
     * used to open one after the other on its critical path. A failed login is handed to the
     * operation that waited for it (see {@link #borrow}), which reports it as its own.
     */
    @Override
    public void prepareConcurrentUse(int streams) {
        int wanted = Math.min(streams, MAX_IDLE);
        synchronized (idle) {
            int logins = wanted - idle.size() - loggingIn;
            if (closed || logins <= 0) {
                return;
            }
            loggingIn += logins;
            for (int i = 0; i < logins; i++) {
                Thread.ofPlatform().name("drover-sftp-login").daemon().start(this::logInAhead);
            }
        }
    }

    private void logInAhead() {
        SftpConnection connection = null;
        IOException failure = null;
        try {
            connection = connector.connectSftp();
        } catch (IOException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new IOException("cannot connect to " + describe() + ": " + e.getMessage(), e);
        }
        if (failure != null) {
            LOG.debug("logging in ahead to {} failed: {}", describe(), failure.getMessage());
        }
        boolean pooled;
        synchronized (idle) {
            loggingIn--;
            if (failure != null) {
                loginAheadFailure = failure;
                loginAheadFailedAt = System.nanoTime();
            }
            // Pooled in the same step, so that a borrower woken here finds it.
            pooled = connection != null && pool(connection);
            idle.notifyAll();
        }
        if (connection != null && !pooled) {
            connection.close();
        }
    }

    @Override
    public void close() {
        List<SftpConnection> toClose;
        synchronized (idle) {
            closed = true;
            idle.notifyAll();
            toClose = new ArrayList<>(idle);
            idle.clear();
        }
        toClose.forEach(SftpConnection::close);
    }

    @Override
    public String toString() {
        return "SftpStorageTarget[" + describe() + "]";
    }

    /** What an operation does with a borrowed connection. */
    interface Operation<T> {
        T run(SftpConnection connection) throws IOException;
    }

    /**
     * Runs {@code operation} on a pooled connection, and once more on a new connection if it failed
     * because the connection died (a server restart, a dropped TCP connection). With {@code keep},
     * a successful result holds the connection and gives it back itself.
     */
    private <T> T withConnection(String what, Operation<T> operation, boolean keep) throws IOException {
        for (int attempt = 1; ; attempt++) {
            SftpConnection connection = borrow();
            T result;
            try {
                result = connection.call(sftp -> operation.run(connection));
            } catch (IOException | RuntimeException e) {
                if (connection.isAlive()) {
                    release(connection);
                    throw e;
                }
                connection.close();
                if (attempt >= 2) {
                    throw e instanceof IOException io ? io
                            : new IOException("connection to " + describe() + " lost during " + what, e);
                }
                continue;
            }
            if (!keep) {
                release(connection);
            }
            return result;
        }
    }

    private SftpConnection borrow() throws IOException {
        synchronized (idle) {
            boolean waited = false;
            while (true) {
                if (closed) {
                    throw new IOException(describe() + " is closed");
                }
                while (!idle.isEmpty()) {
                    SftpConnection connection = idle.pop();
                    if (connection.isAlive()) {
                        return connection;
                    }
                    connection.close();
                }
                if (loggingIn == 0) {
                    if (loginAheadFailure != null
                            && (waited || System.nanoTime() - loginAheadFailedAt < FRESH_FAILURE_NANOS)) {
                        // The login ahead (waited for, or just ended) failed: logging in again would
                        // make an unreachable server cost its timeout twice. Its failure is what this
                        // login would say.
                        IOException failure = loginAheadFailure;
                        loginAheadFailure = null;
                        throw failure;
                    }
                    break;
                }
                // A login ahead is under way: it finishes sooner than a new one would.
                waited = true;
                try {
                    idle.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while waiting for a connection to " + describe());
                }
            }
        }
        return connector.connectSftp();
    }

    /**
     * A new connection, not one from the pool: after a drop, pooled connections are likely dead
     * too, and each of them tried would cost an output one of its attempts.
     */
    SftpConnection connectNew() throws IOException {
        synchronized (idle) {
            if (closed) {
                throw new IOException(describe() + " is closed");
            }
        }
        return connector.connectSftp();
    }

    Resilience resilience() {
        return resilience;
    }

    /** Gives a connection back to the pool, or closes it if it is dead or the pool is full. */
    void release(SftpConnection connection) {
        if (connection.isAlive()) {
            synchronized (idle) {
                if (pool(connection)) {
                    return;
                }
            }
        }
        connection.close();
    }

    /** Puts {@code connection} into the pool if it is open and has room, waking borrowers; the caller holds {@link #idle}. */
    private boolean pool(SftpConnection connection) {
        if (closed || idle.size() >= MAX_IDLE) {
            return false;
        }
        idle.push(connection);
        idle.notifyAll();
        return true;
    }

    private void makeDirectories(ChannelSftp sftp, String dir) throws IOException {
        Optional<SftpATTRS> attributes = lstat(sftp, dir);
        if (attributes.isPresent()) {
            if (!attributes.get().isDir()) {
                throw new IOException("cannot create directory " + dir + " on " + describe() + ": a file has that name");
            }
            return;
        }
        if (!dir.equals("/")) {
            makeDirectories(sftp, parentOf(dir));
        }
        try {
            sftp.mkdir(dir);
        } catch (SftpException e) {
            // Another writer may have created it meanwhile.
            Optional<SftpATTRS> now = lstat(sftp, dir);
            if (now.isEmpty() || !now.get().isDir()) {
                throw failure("cannot create directory " + dir, e);
            }
        }
    }

    /** The attributes of a path (not following symbolic links), or empty if nothing is there. */
    Optional<SftpATTRS> lstat(ChannelSftp sftp, String path) throws IOException {
        try {
            return Optional.of(sftp.lstat(path));
        } catch (SftpException e) {
            if (isMissing(e)) {
                return Optional.empty();
            }
            throw failure("cannot look up " + path, e);
        }
    }

    /**
     * Whether the error means nothing is at that path. ENOTDIR (a segment is a file) counts: no
     * object can exist under a file. Servers report it differently, often as a generic failure.
     */
    static boolean isMissing(SftpException e) {
        return e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE || e.id == 10 /* SSH_FX_NO_SUCH_PATH */
                || e.id == 19 /* SSH_FX_NOT_A_DIRECTORY */
                || (e.id == ChannelSftp.SSH_FX_FAILURE && e.getCause() == null
                        && String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("not a directory"));
    }

    IOException failure(String what, SftpException e) {
        return new IOException(what + " on " + describe() + ": " + e.getMessage() + " (SFTP status " + e.id + ")", e);
    }

    private String resolve(String key) {
        ObjectKeys.requireValid(key);
        return base.equals("/") ? "/" + key : base + "/" + key;
    }

    private static boolean isValidKey(String key) {
        try {
            ObjectKeys.requireValid(key);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    static String nameOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Reads an object (checked by {@link SftpReadStream}) and gives the connection back when closed. */
    private final class ObjectReadStream extends FilterInputStream {
        private final SftpConnection connection;
        private boolean released;

        ObjectReadStream(SftpReadStream in, SftpConnection connection) {
            super(in);
            this.connection = connection;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len); // not FilterInputStream's read(byte[]) detour
        }

        @Override
        public void close() {
            if (released) {
                return;
            }
            released = true;
            if (((SftpReadStream) in).closeQuietly()) {
                release(connection);
            }
        }
    }
}
