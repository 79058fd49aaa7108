package io.drover.core.spi.action;

/** Optional abilities of an {@link Action}, declared rather than probed. */
public enum ActionCapability {
    /** {@link Action#check} tells whether the effect is already in place. */
    CHECK,
    /** {@link Action#undo} reverts the effect. */
    UNDO
}
