package io.drover.core.spi.action;

import java.util.EnumSet;
import java.util.Set;

/** Optional abilities of an {@link Action}, declared rather than probed. */
public enum ActionCapability {
    /** {@link Action#check} tells whether the effect is already in place. */
    CHECK,
    /** {@link Action#undo} reverts the effect. */
    UNDO;

    /** The capabilities of an action whose check and undo are configured per step (e.g. a command's {@code check:}). */
    public static Set<ActionCapability> of(boolean canCheck, boolean canUndo) {
        Set<ActionCapability> capabilities = EnumSet.noneOf(ActionCapability.class);
        if (canCheck) {
            capabilities.add(CHECK);
        }
        if (canUndo) {
            capabilities.add(UNDO);
        }
        return capabilities;
    }
}
