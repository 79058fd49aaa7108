package io.drover.core.spi.action;

import java.util.List;

/**
 * An action failed; the message says what went wrong, the details (e.g. a command's last lines of
 * stderr) help find out why. Unchecked so that actions need not declare it.
 */
public class ActionFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> details;

    public ActionFailedException(String message) {
        this(message, List.of(), null);
    }

    public ActionFailedException(String message, List<String> details, Throwable cause) {
        super(message, cause);
        this.details = List.copyOf(details);
    }

    public List<String> details() {
        return details;
    }
}
