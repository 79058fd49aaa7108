package io.drover.runbook.engine;

import io.drover.core.error.ErrorCode;
import io.drover.core.error.ErrorType;

/** Error codes of runbooks; their types decide the exit codes (README "Exit codes"). */
public enum RunbookErrors implements ErrorCode {
    RUNBOOK_NOT_FOUND(ErrorType.NOT_FOUND),
    RUNBOOK_INVALID(ErrorType.CONFIG),
    EXECUTION_NOT_FOUND(ErrorType.NOT_FOUND),
    STEP_NOT_FOUND(ErrorType.NOT_FOUND),
    PARAMETER_INVALID(ErrorType.USAGE),
    /** The execution is driven by a live process, or is in a state that does not allow the request. */
    EXECUTION_CONFLICT(ErrorType.CONFLICT),
    /** The user is not in the role the approval gate needs. */
    APPROVAL_REFUSED(ErrorType.CONFLICT),
    /** The execution stopped because a step failed. */
    STEP_FAILED(ErrorType.EXTERNAL),
    /** The execution was aborted (by {@code drover runbook abort}) while this process ran it. */
    EXECUTION_ABORTED(ErrorType.CONFLICT),
    /** An undo failed during rollback; parts of the change remain. */
    ROLLBACK_FAILED(ErrorType.EXTERNAL);

    private final ErrorType type;

    RunbookErrors(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
