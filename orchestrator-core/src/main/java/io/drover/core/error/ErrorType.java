package io.drover.core.error;

/**
 * Kind of failure; decides the process exit code. The codes are part of drover's stable interface
 * and documented in the README: scripts depend on them, so never renumber.
 */
public enum ErrorType {
    /** A bug in drover. */
    INTERNAL(1),
    /** Bad command-line arguments. */
    USAGE(2),
    /** The configuration file is invalid. */
    CONFIG(3),
    /** A named backup, job, target or file does not exist. */
    NOT_FOUND(4),
    /** Stored data is damaged or unsafe: verification failed, restore refused entries. */
    INTEGRITY(5),
    /** Something outside drover failed: storage, a source command, the network, the disk. */
    EXTERNAL(6),
    /** The request conflicts with the current state: non-empty restore target, existing repository, lock held. */
    CONFLICT(7);

    private final int exitCode;

    ErrorType(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
