package io.drover.core.repository;

import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.spi.NoSuchObjectException;
import java.io.IOException;

/** Turns storage-target I/O failures into user-facing errors, in one place. */
public final class StorageErrors {
    private StorageErrors() {
    }

    /** An I/O failure in words: the JDK's file exceptions carry only a path as their message. */
    public static String describe(IOException e) {
        if (e instanceof java.nio.file.FileSystemException fs) {
            String what = switch (e) {
                case java.nio.file.NoSuchFileException ignored -> "no such file or directory";
                case java.nio.file.AccessDeniedException ignored -> "permission denied";
                case java.nio.file.FileAlreadyExistsException ignored -> "already exists";
                case java.nio.file.NotDirectoryException ignored -> "not a directory";
                case java.nio.file.DirectoryNotEmptyException ignored -> "directory not empty";
                default -> fs.getReason() == null ? e.getClass().getSimpleName() : fs.getReason();
            };
            return fs.getFile() == null ? what : fs.getFile() + ": " + what;
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    public static DroverException wrap(String targetName, String action, IOException e) {
        if (e instanceof NoSuchObjectException) {
            return new DroverException(DroverErrors.REPOSITORY_CORRUPT, "target '" + targetName + "': " + action
                    + " failed: " + e.getMessage(), "run 'drover verify --all --level quick' to see what is missing",
                    java.util.List.of(), e);
        }
        String detail = describe(e);
        return new DroverException(DroverErrors.STORAGE_FAILED, "target '" + targetName + "': " + action + " failed: " + detail,
                "check that the target is reachable and writable, then retry", java.util.List.of(), e);
    }
}
