package io.drover.core.repository;

import java.util.Map;
import java.util.Objects;

/** The backup an incremental builds on: its manifest and its complete index by path. */
public record ParentBackup(Manifest manifest, Map<String, IndexEntry> index) {
    public ParentBackup {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(index, "index");
    }
}
