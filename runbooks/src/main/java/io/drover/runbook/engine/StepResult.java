package io.drover.runbook.engine;

import io.drover.core.spi.action.ActionOutputs;
import java.util.List;

/** How one step ended in this process. */
sealed interface StepResult {
    /** The action ran, or its check found it done ({@code alreadyDone}). */
    record Succeeded(ActionOutputs outputs, boolean alreadyDone) implements StepResult {
    }

    /** Its {@code when:} was false. */
    record Skipped(String reason) implements StepResult {
    }

    /** Every attempt failed, or the approval timed out. */
    record Failed(String message, List<String> details) implements StepResult {
    }
}
