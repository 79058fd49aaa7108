package io.drover.connector.ssh;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.SftpException;
import io.drover.core.spi.EntrySink;
import io.drover.core.spi.Source;
import io.drover.core.spi.SourceCapability;
import io.drover.core.spi.SourceReadContext;
import io.drover.core.spi.SourceSnapshot;
import io.drover.core.storage.RetryPolicy;
import io.drover.core.storage.Sleeper;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An {@code sftp-files} source: file trees on a remote host, walked over one SFTP connection in
 * sorted order without following symlinks. Entry paths are the absolute remote paths without the
 * leading {@code /}, as with the local {@code files} source, so a restore into {@code /} of the
 * remote host puts every file back where it was.
 *
 * <p>Change tokens are size, mtime (whole seconds), owner and mode: SFTP shows no inode or ctime.
 * A dropped connection is ridden out: the walk and a file being read go on over a new connection
 * (see {@link SourceConnection}, {@link SftpFileContent}).
 */
public final class SftpFilesSource implements Source {
    private final SftpFilesSourceConfig config;
    private final RemotePathFilter filter;
    private final SshConnector connector;
    private final RetryPolicy reconnects;
    private final Sleeper sleeper;

    SftpFilesSource(SftpFilesSourceConfig config, Path knownHosts) {
        // The same reconnect policy as the sftp target's (see its Resilience.DEFAULT).
        this(config, knownHosts, SftpStorageTarget.Resilience.DEFAULT.policy(), Sleeper.SYSTEM);
    }

    SftpFilesSource(SftpFilesSourceConfig config, Path knownHosts, RetryPolicy reconnects, Sleeper sleeper) {
        this.config = config;
        this.filter = new RemotePathFilter(config.include(), config.exclude());
        this.connector = new SshConnector(config.login(), config.login().address(), knownHosts);
        this.reconnects = reconnects;
        this.sleeper = sleeper;
    }

    @Override
    public Set<SourceCapability> capabilities() {
        return EnumSet.of(SourceCapability.FILE_LEVEL_INCREMENTAL);
    }

    @Override
    public String describe() {
        return config.describe();
    }

    @Override
    public SourceSnapshot read(SourceReadContext context, EntrySink sink) throws IOException {
        Instant capturedAt = context.clock().instant();
        String address = config.login().address();
        try (SourceConnection connection = new SourceConnection(connector, address, reconnects, sleeper)) {
            RemoteTreeWalk walk = new RemoteTreeWalk(connection, address, sink, filter);
            // Check every root before emitting anything: a missing root fails the backup at once.
            walk.walk(resolveRoots(walk));
        }
        return new SourceSnapshot(capturedAt, Map.of());
    }

    /**
     * The roots with their parent directories resolved to real paths on the server (so that
     * ancestors emitted as directories are real directories, not symlinks a restore would write
     * through), sorted, without roots that lie inside another root.
     */
    private List<String> resolveRoots(RemoteTreeWalk walk) throws IOException {
        List<String> resolved = new ArrayList<>();
        for (String configured : config.paths()) {
            String root = normalize(configured);
            String parent = RemoteTreeWalk.parent(root);
            if (parent != null && !parent.equals("/")) {
                try {
                    String real = normalize(walk.source().call("resolving " + parent,
                            sftp -> sftp.realpath(RemoteTreeWalk.quote(parent))));
                    root = RemoteTreeWalk.child(real, root.substring(root.lastIndexOf('/') + 1));
                } catch (SftpException e) {
                    if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                        throw missing(configured);
                    }
                    throw new IOException("cannot resolve source path " + configured + " on " + config.login().address()
                            + ": " + e.getMessage(), e);
                }
            }
            try {
                walk.lstat(root);
            } catch (NoSuchFileException e) {
                throw missing(configured);
            }
            resolved.add(root);
        }
        resolved.sort(null);
        List<String> outermost = new ArrayList<>();
        for (String root : resolved) {
            if (outermost.isEmpty() || !inside(root, outermost.getLast())) {
                outermost.add(root);
            }
        }
        return outermost;
    }

    private static boolean inside(String path, String root) {
        return root.equals("/") || path.equals(root) || path.startsWith(root + "/");
    }

    private IOException missing(String root) {
        return new NoSuchFileException(root, null, "source path " + root + " does not exist on "
                + config.login().address() + "; create it or remove it from the source's paths");
    }

    /** {@code /etc//app/./x/../} → {@code /etc/app}. */
    static String normalize(String absolute) {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : absolute.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        return "/" + String.join("/", segments);
    }

    @Override
    public String toString() {
        return "SftpFilesSource[" + describe() + "]";
    }
}
