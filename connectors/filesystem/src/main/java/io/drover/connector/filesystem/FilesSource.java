package io.drover.connector.filesystem;

import io.drover.core.spi.EntrySink;
import io.drover.core.spi.Source;
import io.drover.core.spi.SourceCapability;
import io.drover.core.spi.SourceReadContext;
import io.drover.core.spi.SourceSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A {@code files} source: one or more local file trees, walked in sorted order without following
 * symlinks. Entry paths are the absolute paths without the leading {@code /}, so a restore into
 * {@code /} puts every file back where it was.
 */
public final class FilesSource implements Source {
    private final FilesSourceConfig config;
    private final PathFilter filter;

    public FilesSource(FilesSourceConfig config) {
        this.config = config;
        this.filter = new PathFilter(config.include(), config.exclude());
    }

    @Override
    public Set<SourceCapability> capabilities() {
        return EnumSet.of(SourceCapability.FILE_LEVEL_INCREMENTAL);
    }

    @Override
    public String describe() {
        return "files " + config.paths().stream().map(Path::toString).collect(Collectors.joining(", "));
    }

    @Override
    public SourceSnapshot read(SourceReadContext context, EntrySink sink) throws IOException {
        Instant capturedAt = context.clock().instant();
        // Check every root before emitting anything: a missing root fails the backup at once.
        List<Path> roots = resolveRoots();
        new TreeWalk(sink, filter, config.oneFileSystem()).walk(roots);
        return new SourceSnapshot(capturedAt, Map.of());
    }

    /**
     * The roots with their parent directories resolved to real paths (so that ancestors emitted
     * as directories are real directories, not symlinks a restore would write through), sorted,
     * without roots that lie inside another root.
     */
    private List<Path> resolveRoots() throws IOException {
        List<Path> resolved = new ArrayList<>();
        for (Path configured : config.paths()) {
            Path root = resolveRoot(configured.toAbsolutePath().normalize());
            if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
                throw missing(configured);
            }
            resolved.add(root);
        }
        resolved.sort(null);
        List<Path> outermost = new ArrayList<>();
        for (Path root : resolved) {
            if (outermost.isEmpty() || !root.startsWith(outermost.getLast())) {
                outermost.add(root);
            }
        }
        return outermost;
    }

    private static Path resolveRoot(Path root) throws IOException {
        Path parent = root.getParent();
        if (parent == null) {
            return root;
        }
        try {
            return parent.toRealPath().resolve(root.getFileName());
        } catch (NoSuchFileException e) {
            throw missing(root);
        }
    }

    private static IOException missing(Path root) {
        return new NoSuchFileException(root.toString(), null,
                "source path " + root + " does not exist; create it or remove it from the source's paths");
    }
}
