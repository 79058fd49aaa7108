package io.drover.core.repository;

import io.drover.core.spi.NoSuchObjectException;
import io.drover.core.spi.ObjectAlreadyExistsException;
import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.ObjectKeys;
import io.drover.core.spi.ObjectOutput;
import io.drover.core.spi.StorageCapability;
import io.drover.core.spi.StorageTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** Minimal directory target for core tests (the real one lives in connectors/filesystem). */
final class DirTarget implements StorageTarget {
    private final Path root;

    DirTarget(Path root) throws IOException {
        this.root = Files.createDirectories(root);
    }

    @Override
    public Set<StorageCapability> capabilities() {
        return Set.of();
    }

    @Override
    public String describe() {
        return root.toString();
    }

    @Override
    public ObjectOutput create(String key) throws IOException {
        Path path = root.resolve(ObjectKeys.requireValid(key));
        Files.createDirectories(path.getParent());
        Path temp = Files.createTempFile(path.getParent(), ".tmp-", "");
        OutputStream out = Files.newOutputStream(temp);
        return new ObjectOutput() {
            boolean done;

            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public ObjectInfo commit() throws IOException {
                out.close();
                if (Files.exists(path)) {
                    throw new ObjectAlreadyExistsException(key);
                }
                Files.move(temp, path);
                done = true;
                return new ObjectInfo(key, Files.size(path));
            }

            @Override
            public void abort() {
                if (!done) {
                    done = true;
                    try {
                        out.close();
                        Files.deleteIfExists(temp);
                    } catch (IOException ignored) {
                        // test helper
                    }
                }
            }
        };
    }

    @Override
    public InputStream open(String key) throws IOException {
        Path path = root.resolve(ObjectKeys.requireValid(key));
        if (!Files.exists(path)) {
            throw new NoSuchObjectException(key);
        }
        return Files.newInputStream(path);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        Path path = root.resolve(ObjectKeys.requireValid(key));
        return Files.exists(path) ? Optional.of(new ObjectInfo(key, Files.size(path))) : Optional.empty();
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(".tmp-"))
                    .map(p -> root.relativize(p).toString())
                    .filter(k -> k.startsWith(prefix))
                    .sorted()
                    .map(k -> new ObjectInfo(k, sizeOf(k)))
                    .toList();
        }
    }

    private long sizeOf(String key) {
        try {
            return Files.size(root.resolve(key));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(root.resolve(ObjectKeys.requireValid(key)));
    }
}
