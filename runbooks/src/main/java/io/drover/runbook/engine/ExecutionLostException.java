package io.drover.runbook.engine;

/**
 * This process no longer drives the execution: it was aborted or taken over, so the journal
 * refused a write. The process must stop acting at once.
 */
final class ExecutionLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ExecutionLostException(String message) {
        super(message);
    }
}
