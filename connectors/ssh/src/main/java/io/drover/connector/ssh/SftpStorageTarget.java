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
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A storage target on an SFTP server: each object is a file under the base path, key segments
 * are directories. Objects are uploaded to hidden {@code .tmp-*} files and published with a
 * no-overwrite hard link (what OpenSSH's own rename does), so readers never see partial objects
 * and an existing object is never replaced.
 *
 * <p>Thread-safe: each operation borrows a whole connection (session + channel) from a small pool.
 * An operation that fails because the connection died is retried once on a new connection.
 */
public final class SftpStorageTarget implements StorageTarget {
    static final String TEMP_PREFIX = ObjectKeys.RESERVED_PREFIX;
    static final String HARDLINK = "hardlink@openssh.com";
    static final String POSIX_RENAME = "posix-rename@openssh.com";
    private static final int MAX_IDLE = 8;

    private final SftpTargetConfig config;
    private final SftpConnector connector;
    private final String base;
    private final Deque<SftpConnection> idle = new ArrayDeque<>();
    private boolean closed;

    SftpStorageTarget(SftpTargetConfig config, Path knownHosts) {
        this.config = config;
        this.connector = new SftpConnector(config, knownHosts);
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
                stream = sftp.put(temp, ChannelSftp.OVERWRITE);
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
            return new ConnectionInputStream(in, connection);
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
        List<ChannelSftp.LsEntry> entries = new ArrayList<>();
        try {
            sftp.ls(dir, entry -> {
                entries.add(entry);
                return ChannelSftp.LsEntrySelector.CONTINUE;
            });
        } catch (SftpException e) {
            if (isMissing(e)) {
                return; // removed while we listed
            }
            throw failure("cannot list " + dir, e);
        }
        for (ChannelSftp.LsEntry entry : entries) {
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

    @Override
    public void close() {
        List<SftpConnection> toClose;
        synchronized (idle) {
            closed = true;
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
                result = operation.run(connection);
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
        }
        return connector.connect();
    }

    /** Gives a connection back to the pool, or closes it if it is dead or the pool is full. */
    void release(SftpConnection connection) {
        if (connection.isAlive()) {
            synchronized (idle) {
                if (!closed && idle.size() < MAX_IDLE) {
                    idle.push(connection);
                    return;
                }
            }
        }
        connection.close();
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

    /** Reads an object and gives the connection back when closed. */
    private final class ConnectionInputStream extends FilterInputStream {
        private final SftpConnection connection;
        private boolean closed;

        ConnectionInputStream(InputStream in, SftpConnection connection) {
            super(in);
            this.connection = connection;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                super.close();
            } catch (IOException e) {
                connection.close();
                return; // the data was read or abandoned; a failed handle close is no read error
            }
            release(connection);
        }
    }
}
