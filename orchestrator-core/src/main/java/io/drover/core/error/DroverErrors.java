package io.drover.core.error;

/** Error codes of drover's core areas. */
public enum DroverErrors implements ErrorCode {
    CONFIG_INVALID(ErrorType.CONFIG),
    CONFIG_NOT_FOUND(ErrorType.CONFIG),
    SECRET_UNRESOLVED(ErrorType.CONFIG),
    UNKNOWN_CONNECTOR_TYPE(ErrorType.CONFIG),
    DUPLICATE_CONNECTOR_TYPE(ErrorType.INTERNAL),

    JOB_NOT_FOUND(ErrorType.NOT_FOUND),
    TARGET_NOT_FOUND(ErrorType.NOT_FOUND),
    BACKUP_NOT_FOUND(ErrorType.NOT_FOUND),
    PATH_NOT_FOUND(ErrorType.NOT_FOUND),

    JOB_RUNNING(ErrorType.CONFLICT),
    DAEMON_RUNNING(ErrorType.CONFLICT),
    REPOSITORY_NOT_INITIALIZED(ErrorType.NOT_FOUND),
    REPOSITORY_EXISTS(ErrorType.CONFLICT),
    REPOSITORY_CORRUPT(ErrorType.INTEGRITY),
    REPOSITORY_FORMAT_UNSUPPORTED(ErrorType.INTEGRITY),
    VERIFICATION_FAILED(ErrorType.INTEGRITY),
    RESTORE_UNSAFE_ENTRIES(ErrorType.INTEGRITY),
    RESTORE_LIMIT_EXCEEDED(ErrorType.INTEGRITY),
    RESTORE_TARGET_NOT_EMPTY(ErrorType.CONFLICT),

    KEY_REQUIRED(ErrorType.CONFIG),
    KEY_INVALID(ErrorType.CONFIG),
    KEY_MISMATCH(ErrorType.CONFIG),

    STORAGE_FAILED(ErrorType.EXTERNAL),
    SOURCE_FAILED(ErrorType.EXTERNAL),
    COMMAND_FAILED(ErrorType.EXTERNAL),
    COMMAND_TIMEOUT(ErrorType.EXTERNAL),
    IO_FAILED(ErrorType.EXTERNAL),
    CATALOG_FAILED(ErrorType.EXTERNAL),

    INTERNAL_ERROR(ErrorType.INTERNAL);

    private final ErrorType type;

    DroverErrors(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
