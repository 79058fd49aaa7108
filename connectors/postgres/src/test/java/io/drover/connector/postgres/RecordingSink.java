package io.drover.connector.postgres;

import io.drover.core.spi.DirectorySink;
import io.drover.core.spi.EntryMeta;
import io.drover.core.spi.EntrySink;
import io.drover.core.spi.FileContent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes entries into a directory, as a restore would, and remembers their metadata. */
final class RecordingSink implements EntrySink {
    final DirectorySink files;
    final List<EntryMeta> entries = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    RecordingSink(Path root) {
        this.files = new DirectorySink(root);
    }

    @Override
    public void directory(EntryMeta meta) throws IOException {
        entries.add(meta);
        files.directory(meta);
    }

    @Override
    public void symlink(EntryMeta meta) throws IOException {
        entries.add(meta);
        files.symlink(meta);
    }

    @Override
    public void file(EntryMeta meta, FileContent content) throws IOException {
        entries.add(meta);
        files.file(meta, content);
    }

    @Override
    public void warn(String path, String message) {
        warnings.add(path + ": " + message);
    }

    List<String> paths() {
        return entries.stream().map(EntryMeta::path).toList();
    }
}
