package io.drover.core.spi;

/** Kinds of entries a source produces and a repository stores. */
public enum EntryType {
    DIRECTORY,
    FILE,
    SYMLINK
}
