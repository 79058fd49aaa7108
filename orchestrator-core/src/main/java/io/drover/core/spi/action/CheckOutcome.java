package io.drover.core.spi.action;

import java.util.Objects;

/**
 * Whether an action's effect is already in place.
 *
 * @param outputs when done, the outputs the action would have produced (later steps may use them)
 * @param detail  what was found, for the journal and the progress lines
 */
public record CheckOutcome(boolean done, ActionOutputs outputs, String detail) {
    public CheckOutcome {
        Objects.requireNonNull(outputs, "outputs");
        Objects.requireNonNull(detail, "detail");
    }

    public static CheckOutcome done(String detail) {
        return new CheckOutcome(true, ActionOutputs.NONE, detail);
    }

    public static CheckOutcome done(String detail, ActionOutputs outputs) {
        return new CheckOutcome(true, outputs, detail);
    }

    public static CheckOutcome notDone(String detail) {
        return new CheckOutcome(false, ActionOutputs.NONE, detail);
    }
}
