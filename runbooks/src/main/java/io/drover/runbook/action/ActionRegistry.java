package io.drover.runbook.action;

import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.spi.action.ActionFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The action factories on the class path, by {@code action:} name. */
public final class ActionRegistry {
    private final Map<String, ActionFactory<?>> factories;

    public ActionRegistry(List<? extends ActionFactory<?>> factories) {
        Map<String, ActionFactory<?>> byType = new TreeMap<>();
        for (ActionFactory<?> factory : factories) {
            ActionFactory<?> previous = byType.putIfAbsent(factory.type(), factory);
            if (previous != null) {
                throw new DroverException(DroverErrors.DUPLICATE_CONNECTOR_TYPE, "two runbook actions claim the name '"
                        + factory.type() + "': " + previous.getClass().getName() + " and " + factory.getClass().getName()
                        + "; remove one of the jars from the class path");
            }
        }
        this.factories = Collections.unmodifiableMap(byType);
    }

    /** Every factory found with {@link ServiceLoader} by {@code loader}. */
    public static ActionRegistry discover(ClassLoader loader) {
        List<ActionFactory<?>> found = new ArrayList<>();
        ServiceLoader.load(ActionFactory.class, loader).forEach(found::add);
        return new ActionRegistry(found);
    }

    public static ActionRegistry discover() {
        return discover(ActionRegistry.class.getClassLoader());
    }

    public Optional<ActionFactory<?>> find(String type) {
        return Optional.ofNullable(factories.get(type));
    }

    /** The action names, sorted. */
    public List<String> types() {
        return List.copyOf(factories.keySet());
    }
}
