package io.drover.connector.filesystem;

import io.drover.core.spi.EntryMeta;
import io.drover.core.spi.EntrySink;
import io.drover.core.spi.EntryType;
import io.drover.core.spi.FileContent;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An entry sink that reads every file like core does and records what it saw. */
final class RecordingSink implements EntrySink {
    /** One file's content and what {@link FileContent#changedWhileReading()} said afterwards. */
    record ReadFile(byte[] content, Optional<String> change) {
    }

    /** Called with each file entry before its content is read, to interfere with the file. */
    interface BeforeRead {
        void accept(EntryMeta meta, FileContent content) throws IOException;
    }

    final List<EntryMeta> entries = new ArrayList<>();
    final Map<String, ReadFile> files = new LinkedHashMap<>();
    final Map<String, String> warnings = new LinkedHashMap<>();
    private BeforeRead beforeRead = (meta, content) -> { };

    RecordingSink beforeRead(BeforeRead hook) {
        this.beforeRead = hook;
        return this;
    }

    @Override
    public void directory(EntryMeta meta) {
        entries.add(meta);
    }

    @Override
    public void symlink(EntryMeta meta) {
        entries.add(meta);
    }

    @Override
    public void file(EntryMeta meta, FileContent content) throws IOException {
        entries.add(meta);
        beforeRead.accept(meta, content);
        byte[] bytes;
        try (InputStream in = content.open()) {
            bytes = in.readAllBytes();
        }
        files.put(meta.path(), new ReadFile(bytes, content.changedWhileReading()));
    }

    @Override
    public void warn(String path, String message) {
        warnings.put(path, message);
    }

    List<String> paths() {
        return entries.stream().map(EntryMeta::path).toList();
    }

    EntryMeta entry(String path) {
        return entries.stream().filter(e -> e.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no entry " + path + " in " + paths()));
    }

    List<String> pathsOf(EntryType type) {
        return entries.stream().filter(e -> e.type() == type).map(EntryMeta::path).toList();
    }
}
