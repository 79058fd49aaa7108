package io.drover.core.spi;

/** What a source supports, declared up front. */
public enum SourceCapability {
    /**
     * Entries carry stable {@link EntryMeta#changeToken()} values so that core can skip reading
     * files unchanged since the parent backup (file-level incrementals).
     */
    FILE_LEVEL_INCREMENTAL
}
