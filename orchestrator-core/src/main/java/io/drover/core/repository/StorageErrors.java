package io.drover.core.repository;

import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.spi.NoSuchObjectException;
import java.io.IOException;

/** Turns storage-target I/O failures into user-facing errors, in one place. */
public final class StorageErrors {
    private StorageErrors() {
    }

    public static DroverException wrap(String targetName, String action, IOException e) {
        if (e instanceof NoSuchObjectException) {
            return new DroverException(DroverErrors.REPOSITORY_CORRUPT, "target '" + targetName + "': " + action
                    + " failed: " + e.getMessage(), "run 'drover verify --all --level quick' to see what is missing",
                    java.util.List.of(), e);
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new DroverException(DroverErrors.STORAGE_FAILED, "target '" + targetName + "': " + action + " failed: " + detail,
                "check that the target is reachable and writable, then retry", java.util.List.of(), e);
    }
}
