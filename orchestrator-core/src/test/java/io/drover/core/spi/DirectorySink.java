package io.drover.core.spi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * An entry sink that writes a source's files into a directory, as a restore of the backup would:
 * what a {@link LoadableSource} contract test hands to {@code load}.
 */
public final class DirectorySink implements EntrySink {
    private final Path root;
    private final List<String> warnings = new ArrayList<>();

    public DirectorySink(Path root) {
        this.root = root;
    }

    @Override
    public void directory(EntryMeta meta) throws IOException {
        Files.createDirectories(resolve(meta.path()));
    }

    @Override
    public void symlink(EntryMeta meta) throws IOException {
        Files.createSymbolicLink(resolve(meta.path()), Path.of(meta.linkTarget()));
    }

    @Override
    public void file(EntryMeta meta, FileContent content) throws IOException {
        Path file = resolve(meta.path());
        Files.createDirectories(file.getParent());
        try (InputStream in = content.open()) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public void warn(String path, String message) {
        warnings.add(path + ": " + message);
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    private Path resolve(String path) {
        Path resolved = root.resolve(path).normalize();
        if (!resolved.startsWith(root)) {
            throw new IllegalArgumentException("entry outside the directory: " + path);
        }
        return resolved;
    }
}
