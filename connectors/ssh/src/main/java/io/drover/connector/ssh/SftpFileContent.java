package io.drover.connector.ssh;

import com.jcraft.jsch.SftpException;
import io.drover.core.spi.FileContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.Objects;
import java.util.Optional;

/**
 * Content of a remote file, with the stat taken at listing time to detect changes during the read.
 * The read survives dropped connections: it goes on over a new connection from where it was, after
 * looking at the file again. If the file changed meanwhile, that is reported like any change
 * during the read; bytes a broken connection cut off or garbled are never handed out
 * ({@link SftpReadStream}).
 */
final class SftpFileContent implements FileContent {
    private final RemoteTreeWalk walk;
    private final String path;
    private final RemoteStat listed;
    /** How the file differed from its listing when a read resumed after a drop, if it did. */
    private String changedAtResume;

    SftpFileContent(RemoteTreeWalk walk, String path, RemoteStat listed) {
        this.walk = walk;
        this.path = path;
        this.listed = listed;
    }

    @Override
    public InputStream open() throws IOException {
        changedAtResume = null;
        ResumingStream stream = new ResumingStream();
        stream.openAt(0);
        return stream;
    }

    @Override
    public Optional<String> changedWhileReading() throws IOException {
        Optional<String> now;
        try {
            now = listed.changesTo(walk.lstat(path));
        } catch (NoSuchFileException e) {
            now = Optional.of("file was deleted while it was read");
        }
        return now.isPresent() ? now : Optional.ofNullable(changedAtResume);
    }

    /** Reads the file, and after a drop opens it again on a new connection where the read broke off. */
    private final class ResumingStream extends InputStream {
        private SftpReadStream current;
        private long position;

        /** Opens the file at {@code offset}, checking first that it still is a regular file. */
        void openAt(long offset) throws IOException {
            // SFTP has no O_NOFOLLOW: check that the path is still a regular file, so that a file
            // replaced by a symlink since it was listed is not read through the link.
            RemoteStat now = walk.lstat(path);
            if (now.kind() != RemoteStat.Kind.FILE) {
                throw new IOException("it is no longer a regular file but a " + now.kind().description());
            }
            if (offset > 0 && changedAtResume == null) {
                changedAtResume = listed.changesTo(now).orElse(null);
            }
            SourceConnection source = walk.source();
            InputStream jsch;
            try {
                jsch = source.call("reading " + path, sftp -> sftp.get(RemoteTreeWalk.quote(path), null, offset));
            } catch (SftpException e) {
                throw walk.failure("cannot read", path, e);
            }
            String name = path + " on " + source.address();
            current = new SftpReadStream(source.current("reading " + path), jsch, name, offset, listed.size(),
                    this::endsHere);
        }

        /** An early end is real if the file is now no longer than what was read (it shrank). */
        private boolean endsHere(long at) throws IOException {
            return walk.lstat(path).size() <= at;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            while (true) {
                if (current == null) {
                    openAt(position);
                }
                try {
                    int n = current.read(b, off, len);
                    if (n > 0) {
                        position += n;
                        walk.source().progressed();
                    }
                    return n;
                } catch (SftpReadStream.ConnectionLost e) {
                    current.closeQuietly();
                    current = null;
                    walk.source().lost("reading " + path + " at byte " + position, e);
                }
            }
        }

        @Override
        public void close() {
            if (current != null) {
                current.closeQuietly();
                current = null;
            }
        }
    }
}
