package io.drover.core.spi.action;

import java.util.Set;

/**
 * What one step does. The engine calls, per attempt: {@link #check} (already done? then the step
 * succeeds without running), {@link #plan} (its preconditions must hold now), then {@link #run}.
 * {@code check} is what makes resuming after a crash safe, so an action whose effect can be observed
 * should implement it.
 */
public interface Action {

    /** What this action can do beyond {@code plan} and {@code run}. */
    Set<ActionCapability> capabilities();

    /**
     * What the action would do and whether its preconditions hold now. Must have no side effects:
     * {@code drover runbook plan} calls it and promises to change nothing.
     */
    ActionPlan plan(ActionContext context);

    /**
     * Whether the action's effect is already in place. Side-effect free. Only called when
     * {@link ActionCapability#CHECK} is declared.
     *
     * @throws ActionFailedException if the state cannot be determined
     */
    default CheckOutcome check(ActionContext context) {
        return CheckOutcome.notDone("the action cannot tell whether it already ran");
    }

    /**
     * Does the work and returns its outputs. Must stop soon after the thread is interrupted or
     * {@link ActionContext#deadline()} passes.
     *
     * @throws ActionFailedException when the action failed; the message says what went wrong
     */
    ActionOutputs run(ActionContext context) throws InterruptedException;

    /**
     * Reverts a completed {@link #run}; {@code drover runbook rollback} calls it in reverse step
     * order. Only called when {@link ActionCapability#UNDO} is declared.
     */
    default void undo(ActionContext context, ActionOutputs outputs) throws InterruptedException {
        // Only actions that declare UNDO are ever undone; reaching this is a bug in the caller.
        throw new IllegalStateException("undo called on an action that does not declare the UNDO capability");
    }
}
