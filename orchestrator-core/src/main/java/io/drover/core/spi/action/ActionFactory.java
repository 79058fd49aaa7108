package io.drover.core.spi.action;

import io.drover.core.spi.ConfigProblem;
import java.util.List;

/**
 * Creates the action of one step from the step's {@code with:} section. Found with
 * {@link java.util.ServiceLoader}; a step's {@code action:} names its {@link #type()}.
 *
 * @param <C> the record {@code with:} binds to, strictly and in kebab-case, like a connector's config.
 *            Values may contain {@code ${params.NAME}} and {@code ${steps.ID.outputs.NAME}}: the engine
 *            substitutes them before binding, so the record only ever sees final values.
 */
public interface ActionFactory<C extends Record> {

    /** The {@code action:} value this factory serves, e.g. {@code shell}, {@code wait-tcp}. */
    String type();

    /** The record {@code with:} binds to. */
    Class<C> configType();

    /** One line for {@code drover runbook list} and error messages. */
    default String description() {
        return type();
    }

    /**
     * Checks a bound {@code with:} for problems a type check cannot see; all of them, not just the
     * first. Runs at load time only when {@code with:} holds no references. Must not touch the
     * network or the disk.
     */
    default List<ConfigProblem> validate(C config) {
        return List.of();
    }

    /** Creates the action; cheap and side-effect free (reaching remote systems waits until plan/check/run). */
    Action create(C config);
}
