package io.drover.connector.filesystem;

import io.drover.core.spi.FileContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Content of a local file, with the stat taken at listing time to detect changes during the read. */
final class LocalFileContent implements FileContent {
    private final Path path;
    private final FileStat listed;

    LocalFileContent(Path path, FileStat listed) {
        this.path = path;
        this.listed = listed;
    }

    @Override
    public InputStream open() throws IOException {
        // NOFOLLOW_LINKS: if the file was replaced by a symlink since it was listed, refuse to read
        // whatever the link points to.
        return Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public Optional<String> changedWhileReading() throws IOException {
        try {
            return listed.changesTo(FileStat.of(path));
        } catch (NoSuchFileException e) {
            return Optional.of("file was deleted while it was read");
        }
    }
}
