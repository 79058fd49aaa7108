package io.drover.core.spi;

import java.util.List;

/**
 * Creates one kind of connector from its config section. Found with {@link java.util.ServiceLoader}
 * and selected by the section's {@code type:} key.
 *
 * @param <C> the connector's config record; core binds the YAML section to it strictly (unknown
 *            keys, wrong types and missing values are reported with line and column). Record
 *            components are written in kebab-case in YAML ({@code privateKey} → {@code private-key});
 *            {@code Optional} components and components annotated {@code @Default} may be omitted.
 * @param <T> what the factory creates
 */
public interface ConnectorFactory<C extends Record, T> {

    /** The {@code type:} value this factory serves, e.g. {@code local}, {@code files}. */
    String type();

    /** The record the config section binds to; it must not declare a {@code type} component. */
    Class<C> configType();

    /**
     * Checks a bound config for problems a type check cannot see (a path that must be absolute,
     * two options that exclude each other). Returns every problem, not just the first. Must not
     * touch the network or the disk beyond cheap local checks.
     */
    default List<ConfigProblem> validate(C config) {
        return List.of();
    }

    /** Creates the connector. Failures to reach external systems surface on first use, not here. */
    T create(C config, ConnectorContext context);
}
