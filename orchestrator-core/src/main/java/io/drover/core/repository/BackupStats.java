package io.drover.core.repository;

/**
 * Counts of one backup.
 *
 * @param files          regular files in the backup's final state
 * @param directories    directories
 * @param symlinks       symbolic links
 * @param plainBytes     total size of all files in the final state
 * @param readBytes      bytes read from the source by this run (new and changed files)
 * @param storedBytes    bytes of this backup's own stored objects
 * @param newFiles       files not in the parent
 * @param changedFiles   files that changed since the parent
 * @param unchangedFiles files taken over from the parent without reading them
 * @param removedFiles   entries of the parent (files, directories, links) that are gone
 * @param warnings       problems with single entries
 */
public record BackupStats(long files, long directories, long symlinks, long plainBytes, long readBytes, long storedBytes,
                          long newFiles, long changedFiles, long unchangedFiles, long removedFiles, long warnings) {
}
