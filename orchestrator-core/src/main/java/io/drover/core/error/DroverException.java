package io.drover.core.error;

import java.util.List;
import java.util.Objects;

/**
 * The one unchecked exception drover raises for anything a user may see. Carries a stable code,
 * a message that says what is wrong, an optional hint that says what to do next, and optional
 * details (one line each, e.g. every config problem or every refused restore entry).
 * Messages must never contain secrets.
 */
public class DroverException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String hint;
    private final List<String> details;

    public DroverException(ErrorCode code, String message) {
        this(code, message, null, List.of(), null);
    }

    public DroverException(ErrorCode code, String message, Throwable cause) {
        this(code, message, null, List.of(), cause);
    }

    public DroverException(ErrorCode code, String message, String hint, List<String> details, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
        this.hint = hint;
        this.details = List.copyOf(details);
    }

    public ErrorCode code() {
        return code;
    }

    /** What the user can do next, or {@code null}. */
    public String hint() {
        return hint;
    }

    public List<String> details() {
        return details;
    }

    public int exitCode() {
        return code.type().exitCode();
    }

    public DroverException withHint(String newHint) {
        return new DroverException(code, getMessage(), newHint, details, getCause());
    }
}
