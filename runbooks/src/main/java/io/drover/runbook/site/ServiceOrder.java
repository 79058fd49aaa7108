package io.drover.runbook.site;

import io.drover.core.config.ServiceConfig;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;

/**
 * The order to move services in: a service and everything it depends on ({@code depends-on},
 * transitively), dependencies first, because an application that comes up on the other site before
 * its database would write into a fenced or missing primary.
 */
final class ServiceOrder {
    private ServiceOrder() {
    }

    /**
     * {@code service} and its dependencies, each after everything it depends on; among services that
     * do not depend on each other, the order of the {@code depends-on} lists.
     *
     * @throws DroverException {@code CONFIG_INVALID} naming the cycle, if the dependencies have one
     */
    static List<String> dependenciesFirst(String service, Map<String, ServiceConfig> services) {
        SequencedSet<String> ordered = new LinkedHashSet<>();
        visit(service, services, new ArrayList<>(), ordered);
        return List.copyOf(ordered);
    }

    private static void visit(String service, Map<String, ServiceConfig> services, List<String> path,
                              SequencedSet<String> ordered) {
        if (ordered.contains(service)) {
            return;
        }
        int seen = path.indexOf(service);
        if (seen >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(seen, path.size()));
            cycle.add(service);
            throw new DroverException(DroverErrors.CONFIG_INVALID, "the services depend on each other in a circle: "
                    + String.join(" -> ", cycle) + "; there is no order to move them to another site in",
                    "fix depends-on under services: in drover.yaml", List.of(), null);
        }
        ServiceConfig config = services.get(service);
        if (config == null) {
            // ConfigLoader rejects a depends-on that names no service; this guards a config built in code.
            throw new DroverException(DroverErrors.CONFIG_INVALID, "service '" + service + "' is not under services:"
                    + (path.isEmpty() ? "" : " (" + path.getLast() + " depends on it)"),
                    "define it under services: in drover.yaml", List.of(), null);
        }
        path.add(service);
        for (String dependency : config.dependsOn()) {
            visit(dependency, services, path, ordered);
        }
        path.removeLast();
        ordered.add(service);
    }
}
