package io.drover.core.spi.action;

import java.util.Objects;

/**
 * One condition an action needs, with its result now.
 *
 * @param name   what is required, e.g. {@code standby lag below 1MiB}
 * @param passed whether it holds now
 * @param detail what was found, e.g. {@code lag 12 KiB}
 */
public record Precondition(String name, boolean passed, String detail) {
    public Precondition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(detail, "detail");
    }

    public static Precondition passed(String name, String detail) {
        return new Precondition(name, true, detail);
    }

    public static Precondition failed(String name, String detail) {
        return new Precondition(name, false, detail);
    }
}
