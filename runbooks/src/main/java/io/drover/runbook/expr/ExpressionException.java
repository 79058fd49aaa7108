package io.drover.runbook.expr;

/**
 * An expression or reference is malformed, or cannot be evaluated with the values at hand.
 * {@code offset} is the 0-based position in the text, or -1.
 */
public final class ExpressionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int offset;

    public ExpressionException(String message, int offset) {
        super(message);
        this.offset = offset;
    }

    public int offset() {
        return offset;
    }
}
