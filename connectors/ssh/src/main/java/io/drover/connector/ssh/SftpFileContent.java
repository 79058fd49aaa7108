package io.drover.connector.ssh;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.SftpException;
import io.drover.core.spi.FileContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.Optional;

/** Content of a remote file, with the stat taken at listing time to detect changes during the read. */
final class SftpFileContent implements FileContent {
    private final RemoteTreeWalk walk;
    private final String path;
    private final RemoteStat listed;

    SftpFileContent(RemoteTreeWalk walk, String path, RemoteStat listed) {
        this.walk = walk;
        this.path = path;
        this.listed = listed;
    }

    @Override
    public InputStream open() throws IOException {
        ChannelSftp sftp = walk.sftp();
        // SFTP has no O_NOFOLLOW: check that the path is still a regular file, so that a file
        // replaced by a symlink since it was listed is not read through the link.
        RemoteStat now = walk.lstat(path);
        if (now.kind() != RemoteStat.Kind.FILE) {
            throw new IOException("it is no longer a regular file but a " + now.kind().description());
        }
        try {
            return sftp.get(RemoteTreeWalk.quote(path));
        } catch (SftpException e) {
            throw walk.failure("cannot read", path, e);
        }
    }

    @Override
    public Optional<String> changedWhileReading() throws IOException {
        try {
            return listed.changesTo(walk.lstat(path));
        } catch (NoSuchFileException e) {
            return Optional.of("file was deleted while it was read");
        }
    }
}
